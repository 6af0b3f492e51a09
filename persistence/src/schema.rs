//! The tables, written by hand with types that mean the same on SQLite and PostgreSQL.
//! `migrations/*/` create them; the migration test checks both engines agree with this.

diesel::table! {
    provinces (code) {
        code -> Text,
        name_vi -> Text,
        name_en -> Text,
        kind -> Text,
        active -> Bool,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    organizations (id) {
        id -> Text,
        code -> Text,
        name -> Text,
        name_en -> Nullable<Text>,
        kind -> Text,
        province_code -> Nullable<Text>,
        address -> Nullable<Text>,
        phone -> Nullable<Text>,
        email -> Nullable<Text>,
        status -> Text,
        participation_mode -> Nullable<Text>,
        certificate_number -> Nullable<Text>,
        participation_scope -> Nullable<Text>,
        participation_valid_from -> Nullable<Date>,
        participation_valid_to -> Nullable<Date>,
        deactivated_on -> Nullable<Date>,
        search_text -> Text,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    organization_links (id) {
        id -> Text,
        org_id -> Text,
        parent_id -> Text,
        valid_from -> Date,
        valid_to -> Nullable<Date>,
    }
}

diesel::table! {
    accounts (id) {
        id -> Text,
        username -> Text,
        display_name -> Text,
        role -> Text,
        organization_id -> Text,
        status -> Text,
        password_hash -> Text,
        token_epoch -> Integer,
        search_text -> Text,
        last_login_at -> Nullable<Timestamp>,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    login_failures (subject) {
        subject -> Text,
        failures -> Integer,
        window_started_at -> Timestamp,
        blocked_until -> Nullable<Timestamp>,
    }
}

diesel::table! {
    audit_log (id) {
        id -> BigInt,
        occurred_at -> Timestamp,
        actor_account_id -> Nullable<Text>,
        actor_username -> Text,
        actor_role -> Nullable<Text>,
        actor_org_id -> Nullable<Text>,
        action -> Text,
        resource_type -> Text,
        resource_id -> Text,
        before_json -> Nullable<Text>,
        after_json -> Nullable<Text>,
        request_id -> Nullable<Text>,
    }
}

diesel::joinable!(organizations -> provinces (province_code));
diesel::joinable!(accounts -> organizations (organization_id));

diesel::allow_tables_to_appear_in_same_query!(
    provinces,
    organizations,
    organization_links,
    accounts,
    login_failures,
    audit_log,
);
