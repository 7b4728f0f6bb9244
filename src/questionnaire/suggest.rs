//! "Did you mean ...?": the known name closest to a misspelt one, shared by the loader (field
//! names), the linter (references) and the expression checker (ids and functions).

/// The candidate closest to `name` by edit distance, if close enough to be a likely typo.
#[must_use]
pub fn suggest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (name.chars().count() / 3).clamp(1, 3);
    candidates
        .into_iter()
        .filter(|c| *c != name)
        .map(|c| (edit_distance(name, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, c)| (*d, *c))
        .map(|(_, c)| c)
}

/// Levenshtein distance with transpositions counted as one edit (`show_fi` vs `show_if`).
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let w = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * w];
    for i in 0..=a.len() {
        d[i * w] = i;
    }
    for (j, cell) in d.iter_mut().enumerate().take(w) {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[(i - 1) * w + j] + 1)
                .min(d[i * w + j - 1] + 1)
                .min(d[(i - 1) * w + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[(i - 2) * w + j - 2] + 1);
            }
            d[i * w + j] = v;
        }
    }
    d[a.len() * w + b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_allow_small_typos_only() {
        assert_eq!(suggest("show_fi", ["show_if", "goto"]), Some("show_if"));
        assert_eq!(
            suggest("contrl", ["control", "recruitment"]),
            Some("control")
        );
        assert_eq!(suggest("xyz", ["control"]), None);
        assert_eq!(edit_distance("ab", "ba"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
    }

    #[test]
    fn suggestions_are_deterministic_and_not_wild() {
        assert_eq!(suggest("a", ["b", "c"]), Some("b"));
        assert_eq!(suggest("hours", ["minutes"]), None);
        assert_eq!(suggest("agres", ["agrees", "age"]), Some("agrees"));
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
