//! CSV/TSV/JSON rows <-> request batches and results. No HTTP.
