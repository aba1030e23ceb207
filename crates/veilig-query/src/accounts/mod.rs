//! Who may use Veilig: accounts of the web application, their passwords, API tokens and the
//! demo's accounts. The command line (`veilig user`, `veilig token`, `veilig demo`) and the
//! web application (login, `/admin/users`) call these same functions.

pub mod secret;
pub mod tokens;
pub mod users;

pub use secret::{
    dummy_hash, hash_password, password_acceptable, random_token, token_hash, verify_password,
};
pub use tokens::{Issued, issue, token_role_allowed};
pub use users::{
    NewAccount, add_user, area_ids, change_user, existing_user, parse_role, set_organisation,
    set_password,
};
