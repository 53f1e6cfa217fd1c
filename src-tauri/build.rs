//! Runs tauri-build against the `tauri.conf.json` at the workspace root, next to `package.json`.
//!
//! The command list generates one `allow-<command>` permission per command, so the capability
//! file can grant the window exactly the commands it uses. The app's context (config, embedded
//! UI, icons) is generated here rather than by `generate_context!`, because only the build
//! script makes Cargo rebuild the app when `ui/dist` changes.

fn main() {
    let commands = tauri_build::AppManifest::new().commands(&[
        "list_series",
        "get_set",
        "list_set_cards",
        "get_card",
        "search_cards",
        "start_sync",
        "cancel_sync",
        "sync_history",
        "get_settings",
        "save_settings",
        "card_ownership",
        "set_copies",
        "set_wishlisted",
        "owned_marks",
        "set_completions",
        "set_completion",
        "collection_overview",
        "card_price_history",
        "export_collection",
        "preview_import",
        "import_collection",
    ]);
    let attributes = tauri_build::Attributes::new()
        .config_path("../tauri.conf.json")
        .app_manifest(commands)
        .codegen(tauri_build::CodegenContext::new());
    tauri_build::try_build(attributes).expect("tauri-build failed");
}
