//! QR codes of short links, as small inline SVG, for sharing from a phone.

use qrcode::{Color, EcLevel, QrCode};

/// Modules of light border around the code, as the QR specification asks.
const QUIET_ZONE: usize = 4;

/// The longest link, in bytes, that a QR code holds at error correction
/// level M: version 40 in byte mode (ISO/IEC 18004, table 7). A link with long
/// runs of digits may hold a little more.
pub const MAX_LINK_BYTES: usize = 2331;

/// An SVG QR code of `data`: one stroked `<path>`, a horizontal line per run of
/// dark modules (`M x y.5 h run`, then `m gap 0 h run` along the row), which
/// keeps a short link's code under 2 KB. `label` becomes its accessible name.
pub fn svg(data: &str, label: &str) -> Option<String> {
    let code = QrCode::with_error_correction_level(data.as_bytes(), EcLevel::M).ok()?;
    let width = code.width();
    let colors = code.to_colors();
    let mut path = String::with_capacity(width * width / 2);
    for y in 0..width {
        let mut x = 0;
        let mut pen: Option<usize> = None; // where the last run of this row ended
        while x < width {
            if colors[y * width + x] != Color::Dark {
                x += 1;
                continue;
            }
            let start = x;
            while x < width && colors[y * width + x] == Color::Dark {
                x += 1;
            }
            match pen {
                None => path.push_str(&format!("M{} {}.5", start + QUIET_ZONE, y + QUIET_ZONE)),
                Some(end) => path.push_str(&format!("m{} 0", start - end)),
            }
            path.push_str(&format!("h{}", x - start));
            pen = Some(x);
        }
    }
    let size = width + 2 * QUIET_ZONE;
    Some(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" role=\"img\" aria-label=\"{}\" shape-rendering=\"crispEdges\"><rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/><path stroke=\"#000\" d=\"{path}\"/></svg>",
        crate::util::html::escape(label)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads the dark modules back from the SVG path and decodes them with a QR
    /// reader: what a phone's camera would see.
    fn decode(svg: &str) -> String {
        let size: usize = svg.split("viewBox=\"0 0 ").nth(1).unwrap().split(' ').next().unwrap().parse().unwrap();
        let path = svg.split("stroke=\"#000\" d=\"").nth(1).unwrap().split('"').next().unwrap();
        let mut dark = vec![false; size * size];
        // Commands: `M x y.5` (absolute), `m dx 0` (relative), `h w` (a run of w modules).
        let (mut x, mut y) = (0usize, 0usize);
        let mut rest = path;
        while let Some(cmd) = rest.chars().next() {
            let end = rest[1..].find(['M', 'm', 'h']).map_or(rest.len(), |i| i + 1);
            let args: Vec<&str> = rest[1..end].split(' ').collect();
            match cmd {
                'M' => {
                    x = args[0].parse().unwrap();
                    y = args[1].trim_end_matches(".5").parse().unwrap();
                }
                'm' => x += args[0].parse::<usize>().unwrap(),
                'h' => {
                    let w: usize = args[0].parse().unwrap();
                    for dx in 0..w {
                        dark[y * size + x + dx] = true;
                    }
                    x += w;
                }
                other => panic!("unexpected path command {other}"),
            }
            rest = &rest[end..];
        }
        // Scale each module to 4×4 pixels, as a camera image would be.
        let scale = 4;
        let mut img =
            rqrr::PreparedImage::prepare_from_greyscale(
                size * scale,
                size * scale,
                |x, y| {
                    if dark[(y / scale) * size + x / scale] {
                        0
                    } else {
                        255
                    }
                },
            );
        let grids = img.detect_grids();
        assert_eq!(grids.len(), 1, "one QR code found");
        grids[0].decode().unwrap().1
    }

    #[test]
    fn qr_code_decodes_to_the_link() {
        for link in [
            "https://go.acme.example/c/aB3dE9x",
            "https://www.acme.example/carrieres/salon-2027?utm_source=x&utm_medium=social&utm_campaign=salon-emploi-2027&utm_content=teaser",
        ] {
            let svg = svg(link, "QR code").unwrap();
            assert_eq!(decode(&svg), link);
        }
    }

    #[test]
    fn a_link_too_long_for_a_qr_code_gets_none() {
        let link = |len: usize| format!("https://a.example/{}", "a".repeat(len - "https://a.example/".len()));
        assert!(svg(&link(MAX_LINK_BYTES), "QR").is_some());
        assert_eq!(svg(&link(MAX_LINK_BYTES + 1), "QR"), None);
    }

    #[test]
    fn short_link_qr_is_small() {
        let svg = svg("https://go.acme.example/c/aB3dE9x", "QR").unwrap();
        assert!(svg.len() < 2000, "{} bytes", svg.len());
    }
}
