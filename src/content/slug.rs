//! URL-safe slugs from titles and file names.

/// Lowercase ASCII words joined by `-`: accents are transliterated
/// (`Éthique & réseaux` → `ethique-reseaux`), everything else is dropped.
pub fn slugify(text: &str) -> String {
    let ascii = deunicode::deunicode(text);
    let mut slug = String::with_capacity(ascii.len());
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    slug
}

/// The slug of a file or folder name: an ordering prefix such as `01-` is dropped
/// so that `01-premiers-pas.md` is served at `premiers-pas/`.
pub fn slug_of_name(stem: &str) -> String {
    let rest = stem.trim_start_matches(|c: char| c.is_ascii_digit());
    let unprefixed = match rest.strip_prefix(['-', '_']) {
        Some(r) if rest.len() < stem.len() && !r.is_empty() => r,
        _ => stem,
    };
    slugify(unprefixed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transliterates_and_joins() {
        assert_eq!(slugify("Éthique & réseaux sociaux"), "ethique-reseaux-sociaux");
        assert_eq!(slugify("  Pourquoi ?  "), "pourquoi");
        assert_eq!(slugify("C'est l'été"), "c-est-l-ete");
    }

    #[test]
    fn drops_ordering_prefix() {
        assert_eq!(slug_of_name("01-premiers-pas"), "premiers-pas");
        assert_eq!(slug_of_name("2027"), "2027");
        assert_eq!(slug_of_name("10_faq"), "faq");
        assert_eq!(slug_of_name("3d-printing"), "3d-printing");
    }
}
