//! `holo own`, `wishlist`, `collection`, `export` and `import` as processes, on a database
//! synced from the real card data: output, files and exit codes.

mod common;

use std::path::Path;
use std::process::Output;
use std::time::Duration;

use common::{holo, start_emulator, sync_command};
use serde_json::Value;

fn run(database: &Path, args: &[&str]) -> Output {
    holo(database)
        .args(args)
        .arg("--db")
        .arg(database)
        .env_remove("HOLO_DB")
        .output()
        .unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn json(output: &Output) -> Value {
    serde_json::from_str(stdout(output).trim())
        .unwrap_or_else(|error| panic!("not JSON ({error}): {}{}", stdout(output), stderr(output)))
}

fn synced_database(folder: &Path, api_url: &str) -> std::path::PathBuf {
    let database = folder.join("holo.db");
    let synced = sync_command(&database, api_url).output().unwrap();
    assert_eq!(synced.status.code(), Some(0), "{}", stderr(&synced));
    database
}

#[test]
fn collection_commands_end_to_end() {
    let (_runtime, emulator) = start_emulator(Duration::ZERO);
    let folder = tempfile::tempdir().unwrap();
    let database = synced_database(folder.path(), emulator.base_url());

    // own: a new entry, then more copies, a price and note, a graded copy.
    let owned = run(
        &database,
        &["own", "swsh10-190", "--quantity", "2", "--json"],
    );
    assert_eq!(owned.status.code(), Some(0), "{}", stderr(&owned));
    let outcome = json(&owned);
    assert_eq!(outcome["treatment"], "Rainbow Rare");
    assert_eq!(outcome["quantity"], 2);
    let added = run(&database, &["own", "swsh10-190", "--add", "1"]);
    assert_eq!(
        stdout(&added).trim(),
        "swsh10-190 VSTAR/Rainbow Rare (Near Mint, English): 3 copies (was 2)"
    );
    let priced = run(
        &database,
        &[
            "own",
            "swsh10-190",
            "--price",
            "12.50",
            "--note",
            "from a trade, \"mint\"",
        ],
    );
    assert_eq!(priced.status.code(), Some(0), "{}", stderr(&priced));
    assert!(
        stdout(&priced).contains("3 copies (was 3)"),
        "{}",
        stdout(&priced)
    );
    let graded = run(
        &database,
        &[
            "own",
            "base1-4",
            "--variation",
            "Unlimited Holofoil",
            "--grade-company",
            "PSA",
            "--grade",
            "9",
            "--condition",
            "lp",
        ],
    );
    assert_eq!(graded.status.code(), Some(0), "{}", stderr(&graded));
    let one_more = run(&database, &["own", "swsh10-2"]);
    assert!(
        stdout(&one_more).contains("1 copy, new entry"),
        "{}",
        stdout(&one_more)
    );
    let wished = run(&database, &["wishlist", "sv3pt5-2"]);
    assert!(
        stdout(&wished).contains("added to the wishlist"),
        "{}",
        stdout(&wished)
    );

    // Bad input: clear errors, no panic.
    let unknown = run(&database, &["own", "nope-1"]);
    assert_eq!(unknown.status.code(), Some(1));
    assert!(
        stderr(&unknown).contains("card nope-1 not found"),
        "{}",
        stderr(&unknown)
    );
    let bad_variation = run(&database, &["own", "swsh10-190", "--variation", "Normal"]);
    assert_eq!(bad_variation.status.code(), Some(1));
    assert!(
        stderr(&bad_variation).contains("its variations are: VSTAR/Rainbow Rare"),
        "{}",
        stderr(&bad_variation)
    );
    let bad_price = run(&database, &["own", "swsh10-190", "--price", "1,50"]);
    assert_eq!(bad_price.status.code(), Some(2), "invalid usage");
    let half_grade = run(&database, &["own", "swsh10-190", "--grade", "9"]);
    assert_eq!(half_grade.status.code(), Some(2));
    let bad_condition = run(&database, &["own", "swsh10-190", "--condition", "Mint"]);
    assert_eq!(bad_condition.status.code(), Some(2));
    assert!(
        stderr(&bad_condition).contains("invalid condition"),
        "{}",
        stderr(&bad_condition)
    );

    // collection: entries, completion and value.
    let listed = run(&database, &["collection", "--json"]);
    assert_eq!(listed.status.code(), Some(0), "{}", stderr(&listed));
    let report = json(&listed);
    assert_eq!(report["entries"].as_array().unwrap().len(), 3);
    assert_eq!(report["entries"][0]["card_id"], "base1-4");
    assert_eq!(report["entries"][2]["note"], "from a trade, \"mint\"");
    assert_eq!(report["entries"][2]["purchase_price_cents"], 1250);
    assert_eq!(report["value"]["entries"], 3);
    assert_eq!(report["value"]["copies"], 5);
    let sets: Vec<&str> = report["completion"]
        .as_array()
        .unwrap()
        .iter()
        .map(|set| set["set_id"].as_str().unwrap())
        .collect();
    assert_eq!(sets, ["base1", "swsh10"]);
    assert_eq!(report["completion"][1]["cards_owned"], 2);
    let text = run(&database, &["collection"]);
    assert!(stdout(&text).contains("Value $"), "{}", stdout(&text));

    // export: stdout and a file give the same bytes.
    let exported = run(&database, &["export", "--format", "json"]);
    assert_eq!(exported.status.code(), Some(0), "{}", stderr(&exported));
    let file = folder.path().join("collection.json");
    let to_file = run(
        &database,
        &[
            "export",
            "--format",
            "json",
            "--out",
            file.to_str().unwrap(),
        ],
    );
    assert_eq!(to_file.status.code(), Some(0), "{}", stderr(&to_file));
    assert!(
        stderr(&to_file).contains("Exported 4 records"),
        "{}",
        stderr(&to_file)
    );
    assert_eq!(std::fs::read(&file).unwrap(), exported.stdout);
    let tcgplayer = run(&database, &["export", "--format", "tcgplayer"]);
    assert!(
        stderr(&tcgplayer).contains("1 wishlist-only records left out"),
        "{}",
        stderr(&tcgplayer)
    );
    let collectr = run(&database, &["export", "--format", "collectr"]);
    assert_eq!(collectr.status.code(), Some(2));

    // import into a fresh database: a dry run writes nothing, then the import, then again.
    let fresh_folder = folder.path().join("fresh");
    std::fs::create_dir_all(&fresh_folder).unwrap();
    let fresh = synced_database(&fresh_folder, emulator.base_url());
    let file_arg = file.to_str().unwrap();
    let dry = run(&fresh, &["import", file_arg, "--dry-run", "--json"]);
    assert_eq!(dry.status.code(), Some(0), "{}", stderr(&dry));
    let plan = json(&dry);
    assert_eq!(plan["applied"], false);
    assert_eq!(plan["added"].as_array().unwrap().len(), 3);
    assert_eq!(plan["wishlisted"].as_array().unwrap().len(), 1);
    let empty = run(&fresh, &["collection", "--json"]);
    assert_eq!(json(&empty)["entries"].as_array().unwrap().len(), 0);

    let imported = run(&fresh, &["import", file_arg]);
    assert_eq!(imported.status.code(), Some(0), "{}", stderr(&imported));
    assert!(
        stdout(&imported).contains("3 added, 0 merged, 1 wishlisted, 0 unmatched, 0 unreadable"),
        "{}",
        stdout(&imported)
    );
    let again = run(&fresh, &["import", file_arg]);
    assert!(
        stdout(&again).contains("0 added, 3 merged"),
        "{}",
        stdout(&again)
    );
    let reexported = run(&fresh, &["export", "--format", "json"]);
    assert_eq!(
        reexported.stdout, exported.stdout,
        "the round trip changed the file"
    );
}

#[test]
fn import_exit_codes() {
    let (_runtime, emulator) = start_emulator(Duration::ZERO);
    let folder = tempfile::tempdir().unwrap();
    let database = synced_database(folder.path(), emulator.base_url());
    let fixtures =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../holo-core/tests/fixtures/collection");

    let partial = run(
        &database,
        &["import", fixtures.join("tcgplayer.csv").to_str().unwrap()],
    );
    assert_eq!(partial.status.code(), Some(0), "{}", stderr(&partial));
    let text = stdout(&partial);
    assert!(
        text.contains("8 added, 0 merged, 0 wishlisted, 1 unmatched, 1 unreadable"),
        "{text}"
    );
    assert!(
        text.contains("unmatched  line 10: set \"ASR\" has no card number 999/189"),
        "{text}"
    );
    assert!(
        text.contains("unreadable line 11: invalid condition \"Mint\""),
        "{text}"
    );

    let nothing = folder.path().join("nothing.csv");
    std::fs::write(
        &nothing,
        "Quantity,Name,Simple Name,Set,Card Number,Set Code,Printing,Condition,Language,Rarity,Product ID,SKU\n\
         1,Nobody,Nobody,Nowhere,1/1,ZZZ,Normal,Near Mint,English,Common,,\n",
    )
    .unwrap();
    let unmatched = run(&database, &["import", nothing.to_str().unwrap(), "--json"]);
    assert_eq!(unmatched.status.code(), Some(8));
    assert_eq!(json(&unmatched)["unmatched"][0]["line"], 2);

    let garbage = folder.path().join("garbage.csv");
    std::fs::write(&garbage, "this,is,not\na,collection,file\n").unwrap();
    let unreadable = run(&database, &["import", garbage.to_str().unwrap()]);
    assert_eq!(unreadable.status.code(), Some(8));
    assert!(
        stderr(&unreadable).contains("unrecognised file"),
        "{}",
        stderr(&unreadable)
    );

    let missing = run(
        &database,
        &[
            "import",
            folder.path().join("missing.csv").to_str().unwrap(),
        ],
    );
    assert_eq!(missing.status.code(), Some(8));
    assert!(
        stderr(&missing).contains("cannot read"),
        "{}",
        stderr(&missing)
    );

    let no_database = run(&folder.path().join("none.db"), &["collection"]);
    assert_eq!(no_database.status.code(), Some(1));
    assert!(
        stderr(&no_database).contains("no database at"),
        "{}",
        stderr(&no_database)
    );
}
