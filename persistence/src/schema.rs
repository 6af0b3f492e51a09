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
        participation_status -> Nullable<Text>,
        participation_amended_on -> Nullable<Date>,
        participation_ended_on -> Nullable<Date>,
        participation_end_reason -> Nullable<Text>,
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
    hierarchy_version (id) {
        id -> Integer,
        version -> BigInt,
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
        staff_id -> Nullable<Text>,
        password_change_required -> Bool,
    }
}

diesel::table! {
    login_reservations (id) {
        id -> Text,
        subject -> Text,
        reserved_at -> Timestamp,
    }
}

diesel::table! {
    login_attempts (subject) {
        subject -> Text,
        attempts -> Integer,
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

diesel::table! {
    staff (id) {
        id -> Text,
        full_name -> Text,
        search_text -> Text,
        gender -> Nullable<Text>,
        date_of_birth -> Nullable<Date>,
        ethnicity -> Nullable<Text>,
        qualification -> Nullable<Text>,
        provider_kind -> Nullable<Text>,
        lawyer_card_number -> Nullable<Text>,
        phone -> Nullable<Text>,
        email -> Nullable<Text>,
        status -> Text,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    staff_memberships (id) {
        id -> Text,
        staff_id -> Text,
        organization_id -> Text,
        relation -> Text,
        title -> Text,
        officer_rank -> Nullable<Text>,
        valid_from -> Date,
        valid_to -> Nullable<Date>,
        end_reason -> Nullable<Text>,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    collaborator_cards (id) {
        id -> Text,
        staff_id -> Text,
        card_number -> Text,
        issued_by -> Text,
        issued_on -> Date,
        expires_on -> Date,
        status -> Text,
        ended_on -> Nullable<Date>,
        end_reason -> Nullable<Text>,
        replaces_card_id -> Nullable<Text>,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    participation_contracts (id) {
        id -> Text,
        organization_id -> Text,
        center_id -> Text,
        contract_number -> Text,
        signed_on -> Date,
        scope -> Text,
        valid_from -> Date,
        valid_to -> Nullable<Date>,
        status -> Text,
        amended_on -> Nullable<Date>,
        ended_on -> Nullable<Date>,
        end_reason -> Nullable<Text>,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    recipients (id) {
        id -> Text,
        organization_id -> Text,
        full_name -> Text,
        name_key -> Text,
        gender -> Nullable<Text>,
        date_of_birth -> Nullable<Date>,
        ethnicity -> Nullable<Text>,
        citizen_id -> Nullable<Text>,
        province_code -> Nullable<Text>,
        commune -> Nullable<Text>,
        address -> Nullable<Text>,
        phone -> Nullable<Text>,
                email -> Nullable<Text>,
        statistical_category -> Nullable<Text>,
        category_proven_on -> Nullable<Date>,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    recipient_proofs (id) {
        id -> Text,
        recipient_id -> Text,
        kind -> Text,
        category -> Nullable<Text>,
        document_kind -> Text,
        document_number -> Nullable<Text>,
        issuer -> Nullable<Text>,
        issued_on -> Nullable<Date>,
        provided_on -> Date,
        created_at -> Timestamp,
    }
}

diesel::table! {
    recipient_access_log (id) {
        id -> BigInt,
        recipient_id -> Nullable<Text>,
        accessed_at -> Timestamp,
        account_id -> Text,
        username -> Text,
        role -> Text,
        org_id -> Text,
        access -> Text,
        request_id -> Nullable<Text>,
        record_id -> Nullable<Text>,
    }
}

diesel::table! {
    cases (id) {
        id -> Text,
        code -> Text,
        group_ref -> Nullable<Text>,
        organization_id -> Text,
        recipient_id -> Text,
        requester_name -> Nullable<Text>,
        requester_relation -> Nullable<Text>,
        received_on -> Date,
        accepted_on -> Nullable<Date>,
        field -> Text,
        form -> Text,
        place -> Text,
        provider_id -> Nullable<Text>,
        provider_kind -> Nullable<Text>,
        summary -> Text,
        search_text -> Text,
        litigation -> Nullable<Text>,
        outcome_on -> Nullable<Date>,
        defence_accepted -> Nullable<Bool>,
        success_kind -> Nullable<Text>,
        state -> Text,
        closed_on -> Nullable<Date>,
        closing_grounds -> Nullable<Text>,
        transferred_from_case_id -> Nullable<Text>,
        transferred_to_org_id -> Nullable<Text>,
        quality -> Nullable<Text>,
        deleted_at -> Nullable<Timestamp>,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        recipient_organization_id -> Text,
        closed_recorded_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    case_sequences (organization_id, year) {
        organization_id -> Text,
        year -> Integer,
        last_value -> BigInt,
    }
}

diesel::table! {
    case_events (id) {
        id -> Text,
        case_id -> Text,
        step -> Text,
        from_state -> Nullable<Text>,
        to_state -> Text,
        occurred_on -> Date,
        recorded_at -> Timestamp,
        actor_account_id -> Nullable<Text>,
        actor_username -> Text,
        reason -> Nullable<Text>,
        details -> Nullable<Text>,
    }
}

diesel::table! {
    change_requests (id) {
        id -> Text,
        organization_id -> Text,
        kind -> Text,
        reason -> Text,
        status -> Text,
        requested_by -> Text,
        requested_at -> Timestamp,
        decided_by -> Nullable<Text>,
        decided_at -> Nullable<Timestamp>,
        decision_reason -> Nullable<Text>,
        version -> BigInt,
    }
}

diesel::table! {
    change_request_items (id) {
        id -> Text,
        change_request_id -> Text,
                case_id -> Text,
        proposed_changes -> Nullable<Text>,
        open -> Bool,
    }
}

diesel::table! {
    statistics_tallies (organization_id, family, bucket) {
        organization_id -> Text,
        family -> Text,
        bucket -> Text,
        data -> Binary,
    }
}

diesel::table! {
    statistics_tallies_state (id) {
        id -> Integer,
        built -> Bool,
    }
}

diesel::table! {
    review_requests (id) {
        id -> Text,
        organization_id -> Text,
        kind -> Text,
        addressee -> Text,
        content -> Text,
        case_id -> Nullable<Text>,
        state -> Text,
        sent_on -> Nullable<Date>,
        answered_on -> Nullable<Date>,
        answer -> Nullable<Text>,
        search_text -> Text,
        deleted_at -> Nullable<Timestamp>,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    attachments (id) {
        id -> Text,
        case_id -> Text,
        file_name -> Text,
        content_type -> Text,
        size_bytes -> BigInt,
        sha256 -> Text,
        storage_key -> Text,
        uploaded_by -> Text,
        uploaded_at -> Timestamp,
        deleted_at -> Nullable<Timestamp>,
    }
}

diesel::joinable!(organizations -> provinces (province_code));
diesel::joinable!(case_events -> cases (case_id));
diesel::joinable!(change_request_items -> change_requests (change_request_id));
diesel::joinable!(staff_memberships -> staff (staff_id));
diesel::joinable!(staff_memberships -> organizations (organization_id));
diesel::table! {
    statistical_reports (id) {
        id -> Text,
        organization_id -> Text,
        form -> Text,
        period -> Text,
        receiver_id -> Nullable<Text>,
        due_on -> Nullable<Date>,
        status -> Text,
        source -> Text,
        entered_figures -> Nullable<Text>,
        explanation -> Nullable<Text>,
        missing_explanation -> Nullable<Text>,
        first_submitted_on -> Nullable<Date>,
        current_revision -> Integer,
        accepted_revision -> Nullable<Integer>,
        return_reason -> Nullable<Text>,
        needs_resubmission -> Bool,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    statistical_report_revisions (report_id, revision) {
        report_id -> Text,
        revision -> Integer,
        source -> Text,
        figures -> Text,
        coverage -> Text,
        explanation -> Nullable<Text>,
        missing_explanation -> Nullable<Text>,
        correction_reason -> Nullable<Text>,
        proposed_at -> Timestamp,
        proposed_by -> Text,
        confirmed_at -> Nullable<Timestamp>,
        confirmed_by -> Nullable<Text>,
        decision -> Nullable<Text>,
        decided_at -> Nullable<Timestamp>,
        decided_by -> Nullable<Text>,
        decision_reason -> Nullable<Text>,
    }
}

diesel::table! {
    statistical_releases (id) {
        id -> Text,
        form -> Text,
        period -> Text,
        vintage -> Integer,
        areas -> Text,
        note -> Nullable<Text>,
        released_at -> Timestamp,
        released_by -> Text,
        provinces_expected -> Nullable<Integer>,
    }
}

diesel::table! {
    portal_procedures (code) {
        code -> Text,
        kind -> Text,
        time_limit_days -> Integer,
        placeholder -> Bool,
        active -> Bool,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    calendar_days (day) {
        day -> Date,
        kind -> Text,
        name -> Text,
    }
}

diesel::table! {
    portal_status_codes (status) {
        status -> Text,
        portal_code -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    dossiers (id) {
        id -> Text,
        dossier_code -> Text,
        procedure_code -> Text,
        procedure_kind -> Text,
        organization_id -> Text,
        province_code -> Text,
        channel -> Text,
        applicant -> Text,
        contact -> Text,
        summary -> Text,
        legal_aid -> Nullable<Text>,
        case_code -> Nullable<Text>,
        card_number -> Nullable<Text>,
        received_at -> Timestamp,
        counting_from -> Date,
        due_on -> Date,
        status -> Text,
        resume_to -> Nullable<Text>,
        days_left -> Nullable<Integer>,
        finished_on -> Nullable<Date>,
        note -> Nullable<Text>,
        case_id -> Nullable<Text>,
        recipient_id -> Nullable<Text>,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    dossier_documents (id) {
        id -> Text,
        dossier_id -> Text,
        file_name -> Text,
        content_type -> Text,
        size_bytes -> BigInt,
        sha256 -> Text,
        content -> Binary,
        received_at -> Timestamp,
    }
}

diesel::table! {
    dossier_progress (position) {
        position -> BigInt,
        dossier_id -> Text,
        step -> Text,
        status -> Text,
        note -> Nullable<Text>,
        due_on -> Date,
        actor_username -> Text,
        actor_organization_id -> Nullable<Text>,
        occurred_at -> Timestamp,
        portal_status -> Text,
    }
}

diesel::table! {
    dossier_feed_head (id) {
        id -> Integer,
        position -> BigInt,
    }
}

diesel::table! {
    idempotent_requests (client_id, idempotency_key) {
        client_id -> Text,
        idempotency_key -> Text,
        request_hash -> Text,
        status -> Integer,
        location -> Nullable<Text>,
        body -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    webhook_endpoints (id) {
        id -> Text,
        url -> Text,
        secret -> Text,
        active -> Bool,
        created_at -> Timestamp,
        created_by -> Text,
        deactivated_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    webhook_deliveries (id) {
        id -> Text,
        endpoint_id -> Text,
        dossier_id -> Text,
        position -> BigInt,
        payload -> Text,
        delivered_at -> Nullable<Timestamp>,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        last_attempt_at -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::joinable!(collaborator_cards -> staff (staff_id));
diesel::joinable!(recipient_proofs -> recipients (recipient_id));
diesel::joinable!(accounts -> organizations (organization_id));
diesel::joinable!(webhook_deliveries -> webhook_endpoints (endpoint_id));

diesel::allow_tables_to_appear_in_same_query!(
    provinces,
    organizations,
    organization_links,
    hierarchy_version,
    accounts,
    login_attempts,
    login_reservations,
    audit_log,
    staff,
    staff_memberships,
    collaborator_cards,
    participation_contracts,
    recipients,
    recipient_proofs,
    recipient_access_log,
    cases,
    case_sequences,
    case_events,
    change_requests,
    change_request_items,
    review_requests,
    attachments,
    statistics_tallies,
    statistics_tallies_state,
    statistical_reports,
    statistical_report_revisions,
    statistical_releases,
    portal_procedures,
    calendar_days,
    portal_status_codes,
    dossiers,
    dossier_documents,
    dossier_progress,
    dossier_feed_head,
    idempotent_requests,
    webhook_endpoints,
    webhook_deliveries,
);
