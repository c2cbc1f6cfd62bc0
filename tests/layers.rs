//! The layers of `src/lib.rs` in dependency order: a module names only
//! modules of lower layers (in its code; doc comments and its own tests may
//! point anywhere). Fails, naming the file and line, when a lower layer
//! reaches up or two modules of one layer name each other.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Each module's layer, lowest first, as the table in `src/lib.rs` gives
/// them. Modules of one layer stand beside each other and do not name each
/// other.
const LAYERS: &[&[&str]] = &[
    &["syntax", "random", "status"],
    &["params", "method", "version", "transport"],
    &["uri"],
    &["header"],
    &["message"],
    &["multipart", "auth", "transaction", "dialog", "sdp"],
    &["endpoint"],
    &["ua", "registrar", "proxy"],
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

/// The items `src/lib.rs` re-exports at the root, by the module they come
/// from (`crate::Message` is the message layer's).
fn root_items(lib: &str) -> HashMap<String, String> {
    let mut items = HashMap::new();
    let mut rest = lib;
    while let Some(at) = rest.find("pub use ") {
        rest = &rest[at + "pub use ".len()..];
        let end = rest.find(';').expect("a use ends");
        let statement = &rest[..end];
        let module = statement.split("::").next().unwrap().trim().to_owned();
        let names = match (statement.find('{'), statement.rfind('}')) {
            (Some(open), Some(close)) => &statement[open + 1..close],
            _ => statement.rsplit("::").next().unwrap(),
        };
        for name in names.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            items.insert(name.to_owned(), module.clone());
        }
        rest = &rest[end..];
    }
    items
}

/// Every `.rs` file under `dir`.
fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code of a file: comments and its `#[cfg(test)]` modules left out.
fn code_lines(text: &str) -> Vec<(usize, String)> {
    let code = match text.find("#[cfg(test)]\nmod tests") {
        Some(at) => &text[..at],
        None => text,
    };
    code.lines()
        .enumerate()
        .map(|(i, line)| {
            let line = line.split("//").next().unwrap_or("");
            (i + 1, line.to_owned())
        })
        .filter(|(_, l)| !l.trim().is_empty())
        .collect()
}

/// The modules and root items a line names through `crate::`.
fn named(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = line;
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let close = group.find('}').unwrap_or(group.len());
            for part in group[..close].split(',') {
                let name = part.trim().split("::").next().unwrap_or("").trim();
                if !name.is_empty() {
                    out.push(name.to_owned());
                }
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            out.push(name);
        }
    }
    out
}

#[test]
fn no_layer_names_a_higher_one() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let lib = std::fs::read_to_string(src.join("lib.rs")).unwrap();
    let items = root_items(&lib);
    let mut all = Vec::new();
    files(&src, &mut all);
    let mut checked = 0;
    let mut wrong = Vec::new();
    for path in all {
        let rel = path.strip_prefix(&src).unwrap();
        let module = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_owned();
        if module == "lib" {
            continue;
        }
        let mine = layer_of(&module)
            .unwrap_or_else(|| panic!("module {module} is in no layer: add it to LAYERS"));
        let text = std::fs::read_to_string(&path).unwrap();
        for (line_no, line) in code_lines(&text) {
            for name in named(&line) {
                let target = items.get(&name).cloned().unwrap_or(name.clone());
                if target == module {
                    continue;
                }
                let Some(theirs) = layer_of(&target) else {
                    continue;
                };
                checked += 1;
                if theirs >= mine {
                    wrong.push(format!(
                        "{}:{line_no}: {module} (layer {mine}) names {target} (layer {theirs})",
                        rel.display()
                    ));
                }
            }
        }
    }
    assert!(
        checked > 100,
        "only {checked} references seen: the scan is broken"
    );
    assert!(
        wrong.is_empty(),
        "layers reached up or across:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_scan_sees_what_it_should() {
    assert_eq!(
        named("use crate::header::{Via, X}; crate::uri::Uri::parse(s)"),
        ["header", "uri"]
    );
    assert_eq!(
        named("use crate::{Message, Method};"),
        ["Message", "Method"]
    );
    let lines = code_lines(
        "use a;\n// crate::endpoint\nfn f() {} // crate::x\n#[cfg(test)]\nmod tests {\n use crate::endpoint;\n}\n",
    );
    assert_eq!(lines.len(), 2);
    let items = root_items("pub use message::{Message, MessageRef};\npub use method::Method;\n");
    assert_eq!(items["MessageRef"], "message");
    assert_eq!(items["Method"], "method");
}
