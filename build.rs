//! Puts the embedded schema's SHA-256 into the build, for `tuple-report --version`: a bug
//! report then says which schema was used.

use sha2::{Digest, Sha256};

fn main() {
    let path = "schema/usage-report.schema.json";
    println!("cargo:rerun-if-changed={path}");
    let schema = std::fs::read(path).expect("the embedded schema is readable");
    let digest = Sha256::digest(&schema);
    let hex: String = digest.iter().map(|byte| format!("{byte:02x}")).collect();
    println!("cargo:rustc-env=TUPLE_REPORT_SCHEMA_SHA256={hex}");
    println!("cargo:rustc-env=TUPLE_REPORT_SCHEMA_SHA12={}", &hex[..12]);
}
