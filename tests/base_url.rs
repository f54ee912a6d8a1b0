//! Where the hub is served: `--base-url` is checked as `hub.yaml`'s
//! `base_url` is, and every URL of the built hub is made from it.

mod common;

use common::Hub;

#[test]
fn base_url_override_that_is_not_http_is_refused_as_in_hub_yaml() {
    let hub = Hub::copy("basic");
    let run = hub.chorus(&["build", "--now", "2026-11-25", "--base-url", "ftp://x"]);
    assert_eq!(run.code, 1, "an ftp base URL must not build:\n{}", run.stdout);
    assert!(run.stderr.contains("--base-url `ftp://x` must start with http:// or https://"), "{}", run.stderr);
    assert!(!hub.path("public").exists(), "nothing is written");

    let config = hub.read("hub.yaml").replace("https://hub.test.example", "ftp://x");
    hub.write("hub.yaml", &config);
    let run = hub.chorus(&["build", "--now", "2026-11-25"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(run.stderr.contains("`base_url` must start with http:// or https://"), "{}", run.stderr);
}

#[test]
fn base_url_override_that_is_not_a_url_says_how_to_write_one() {
    let hub = Hub::copy("basic");
    let run = hub.chorus(&["build", "--now", "2026-11-25", "--base-url", "hub"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(run.stderr.contains("--base-url `hub` is not a valid URL"), "{}", run.stderr);
    assert!(run.stderr.contains("write an absolute URL such as `https://hub.intranet.example`"), "{}", run.stderr);
}

#[test]
fn base_url_override_below_a_path_serves_every_url_below_it() {
    let hub = Hub::copy("basic");
    let run = hub.chorus(&["build", "--now", "2026-11-25", "--no-minify", "--base-url", "https://x.example/hub/"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let sitemap = hub.read("public/sitemap.xml");
    assert!(sitemap.contains("<loc>https://x.example/hub/</loc>"), "{sitemap}");
    assert!(!sitemap.contains("<loc>https://x.example/hub/hub/"), "the path is not doubled:\n{sitemap}");
    assert!(hub.read("public/robots.txt").contains("Sitemap: https://x.example/hub/sitemap.xml"));
    assert!(hub.read("public/calendar.ics").contains("@x.example"), "calendar UIDs name the host");
}
