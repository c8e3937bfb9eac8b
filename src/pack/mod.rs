//! Packs: the model, loading from the binary or from disk, and lint.

mod blob;
pub use blob::decode_ahead;
mod jinja_names;
mod lazy;
pub use lazy::decode_for_the_process;
mod lint;
mod load;
mod model;
mod path_answers;
mod stored;
mod words;

pub use lint::lint_pack;
pub use load::{
    describe_yaml_error, load_dir, pack_folders, parse_pack, PackFiles, Registry, MANIFEST,
};
pub use model::*;
