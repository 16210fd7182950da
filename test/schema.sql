extension btree_gist
table agents
  agents.id uuid NOT NULL DEFAULT gen_random_uuid()
  agents.oidc_subject text
  agents.email text NOT NULL
  agents.first_name text NOT NULL
  agents.last_name text NOT NULL
  agents.active boolean NOT NULL DEFAULT true
  agents.last_sign_in_at timestamp with time zone
  agents.created_at timestamp with time zone NOT NULL DEFAULT now()
  agents.quality text
table appointments
  appointments.id uuid NOT NULL DEFAULT gen_random_uuid()
  appointments.kind text NOT NULL
  appointments.establishment_id uuid NOT NULL
  appointments.family_account_id uuid
  appointments.contact_email text
  appointments.contact_phone text
  appointments.starts_at timestamp with time zone NOT NULL
  appointments.ends_at timestamp with time zone NOT NULL
  appointments.place text NOT NULL
  appointments.address text NOT NULL
  appointments.reference character varying(12) NOT NULL
  appointments.status text NOT NULL DEFAULT 'BOOKED'::text
  appointments.cancelled_at timestamp with time zone
  appointments.cancel_reason text
  appointments.created_at timestamp with time zone NOT NULL DEFAULT now()
  appointments.updated_at timestamp with time zone NOT NULL DEFAULT now()
table audit_log
  audit_log.id bigint NOT NULL
  audit_log.occurred_at timestamp with time zone NOT NULL
  audit_log.actor_type text NOT NULL
  audit_log.actor_id uuid
  audit_log.actor_label text
  audit_log.action text NOT NULL
  audit_log.entity_type text NOT NULL
  audit_log.entity_id text
  audit_log.establishment_id uuid
  audit_log.before jsonb
  audit_log.after jsonb
  audit_log.prev_hash character(64) NOT NULL
  audit_log.hash character(64) NOT NULL
table closures
  closures.id uuid NOT NULL DEFAULT gen_random_uuid()
  closures.establishment_id uuid NOT NULL
  closures.day date NOT NULL
  closures.room_id uuid
  closures.template_id uuid
  closures.reason text NOT NULL
  closures.created_at timestamp with time zone NOT NULL DEFAULT now()
table demo_inbox
  demo_inbox.id bigint NOT NULL DEFAULT nextval('demo_inbox_id_seq'::regclass)
  demo_inbox.channel text NOT NULL
  demo_inbox.recipient text NOT NULL
  demo_inbox.subject text
  demo_inbox.body text NOT NULL
  demo_inbox.attachments text[] NOT NULL DEFAULT '{}'::text[]
  demo_inbox.received_at timestamp with time zone NOT NULL DEFAULT now()
table detainee_import_previews
  detainee_import_previews.id uuid NOT NULL DEFAULT gen_random_uuid()
  detainee_import_previews.establishment_id uuid NOT NULL
  detainee_import_previews.agent_id uuid
  detainee_import_previews.file_name text NOT NULL
  detainee_import_previews.content text NOT NULL
  detainee_import_previews.created_at timestamp with time zone NOT NULL DEFAULT now()
table detainee_phone_contacts
  detainee_phone_contacts.id uuid NOT NULL DEFAULT gen_random_uuid()
  detainee_phone_contacts.detainee_id uuid NOT NULL
  detainee_phone_contacts.name text NOT NULL
  detainee_phone_contacts.phone text NOT NULL
  detainee_phone_contacts.relationship text NOT NULL
  detainee_phone_contacts.minor boolean NOT NULL DEFAULT false
  detainee_phone_contacts.consent_given_by text
  detainee_phone_contacts.consent_recorded_at timestamp with time zone
  detainee_phone_contacts.consent_recorded_by uuid
  detainee_phone_contacts.active boolean NOT NULL DEFAULT true
  detainee_phone_contacts.created_at timestamp with time zone NOT NULL DEFAULT now()
  detainee_phone_contacts.created_by uuid NOT NULL
table detainee_transfer_proposals
  detainee_transfer_proposals.id uuid NOT NULL DEFAULT gen_random_uuid()
  detainee_transfer_proposals.detainee_id uuid NOT NULL
  detainee_transfer_proposals.to_establishment_id uuid NOT NULL
  detainee_transfer_proposals.new_ecrou character varying(20) NOT NULL
  detainee_transfer_proposals.detected_at timestamp with time zone NOT NULL DEFAULT now()
  detainee_transfer_proposals.status text NOT NULL DEFAULT 'PENDING'::text
  detainee_transfer_proposals.decided_by uuid
  detainee_transfer_proposals.decided_at timestamp with time zone
table detainees
  detainees.id uuid NOT NULL DEFAULT gen_random_uuid()
  detainees.establishment_id uuid NOT NULL
  detainees.ecrou_number character varying(20) NOT NULL
  detainees.last_name text NOT NULL
  detainees.first_name text NOT NULL
  detainees.birth_date date NOT NULL
  detainees.legal_status text NOT NULL
  detainees.custody_status text NOT NULL DEFAULT 'PRESENT'::text
  detainees.transferred_to_id uuid
  detainees.left_at timestamp with time zone
  detainees.created_at timestamp with time zone NOT NULL DEFAULT now()
  detainees.updated_at timestamp with time zone NOT NULL DEFAULT now()
  detainees.housing text
table establishment_info
  establishment_info.establishment_id uuid NOT NULL
  establishment_info.parloir_phone text
  establishment_info.parloir_hours text
  establishment_info.access text
  establishment_info.lockers text
  establishment_info.what_to_bring text
  establishment_info.dress_code text
  establishment_info.accessibility text
  establishment_info.updated_at timestamp with time zone NOT NULL DEFAULT now()
table establishment_info_translations
  establishment_info_translations.establishment_id uuid NOT NULL
  establishment_info_translations.language text NOT NULL
  establishment_info_translations.parloir_hours text
  establishment_info_translations.access text
  establishment_info_translations.lockers text
  establishment_info_translations.what_to_bring text
  establishment_info_translations.dress_code text
  establishment_info_translations.accessibility text
  establishment_info_translations.french_updated_at timestamp with time zone
  establishment_info_translations.updated_at timestamp with time zone NOT NULL DEFAULT now()
table establishment_month_stats
  establishment_month_stats.establishment_id uuid NOT NULL
  establishment_month_stats.month date NOT NULL
  establishment_month_stats.requests_received integer NOT NULL DEFAULT 0
  establishment_month_stats.granted integer NOT NULL DEFAULT 0
  establishment_month_stats.refused integer NOT NULL DEFAULT 0
  establishment_month_stats.implicitly_rejected integer NOT NULL DEFAULT 0
  establishment_month_stats.decision_days_sum double precision NOT NULL DEFAULT 0
  establishment_month_stats.decision_days_count integer NOT NULL DEFAULT 0
  establishment_month_stats.visits_booked integer NOT NULL DEFAULT 0
  establishment_month_stats.visits_online integer NOT NULL DEFAULT 0
  establishment_month_stats.visits_held integer NOT NULL DEFAULT 0
  establishment_month_stats.visits_no_show integer NOT NULL DEFAULT 0
  establishment_month_stats.visits_refused integer NOT NULL DEFAULT 0
  establishment_month_stats.visits_cancelled integer NOT NULL DEFAULT 0
  establishment_month_stats.check_seconds_sum double precision NOT NULL DEFAULT 0
  establishment_month_stats.check_count integer NOT NULL DEFAULT 0
  establishment_month_stats.check_days integer NOT NULL DEFAULT 0
  establishment_month_stats.detainees integer NOT NULL DEFAULT 0
  establishment_month_stats.refreshed_at timestamp with time zone NOT NULL
table establishments
  establishments.id uuid NOT NULL DEFAULT gen_random_uuid()
  establishments.code character varying(16) NOT NULL
  establishments.name text NOT NULL
  establishments.kind text NOT NULL
  establishments.time_zone text NOT NULL DEFAULT 'Europe/Paris'::text
  establishments.created_at timestamp with time zone NOT NULL DEFAULT now()
  establishments.address text
  establishments.phone text
  establishments.email text
  establishments.interregional_direction text
  establishments.holiday_zone text NOT NULL DEFAULT 'METROPOLE'::text
  establishments.direction text
table family_accounts
  family_accounts.id uuid NOT NULL DEFAULT gen_random_uuid()
  family_accounts.fc_subject text NOT NULL
  family_accounts.given_name text NOT NULL
  family_accounts.family_name text NOT NULL
  family_accounts.birthdate date
  family_accounts.email text
  family_accounts.created_at timestamp with time zone NOT NULL DEFAULT now()
  family_accounts.last_sign_in_at timestamp with time zone
  family_accounts.mobile_phone text
  family_accounts.closed_at timestamp with time zone
  family_accounts.language text
table family_units
  family_units.id uuid NOT NULL DEFAULT gen_random_uuid()
  family_units.establishment_id uuid NOT NULL
  family_units.kind text NOT NULL
  family_units.name text NOT NULL
  family_units.capacity integer NOT NULL
  family_units.accessible boolean NOT NULL DEFAULT false
  family_units.active boolean NOT NULL DEFAULT true
  family_units.created_at timestamp with time zone NOT NULL DEFAULT now()
  family_units.house_rules text
table family_visit_cases
  family_visit_cases.id uuid NOT NULL DEFAULT gen_random_uuid()
  family_visit_cases.reference character varying(12) NOT NULL
  family_visit_cases.establishment_id uuid NOT NULL
  family_visit_cases.detainee_id uuid NOT NULL
  family_visit_cases.kind text NOT NULL
  family_visit_cases.wished_from date NOT NULL
  family_visit_cases.wished_to date NOT NULL
  family_visit_cases.wished_hours integer NOT NULL
  family_visit_cases.status text NOT NULL DEFAULT 'INSTRUCTION'::text
  family_visit_cases.counsellor_id uuid
  family_visit_cases.cpu_on date
  family_visit_cases.cpu_opinion text
  family_visit_cases.cpu_notes text
  family_visit_cases.magistrate text
  family_visit_cases.referred_at timestamp with time zone
  family_visit_cases.referral_opinion text
  family_visit_cases.proposed_hours integer
  family_visit_cases.created_by uuid
  family_visit_cases.created_at timestamp with time zone NOT NULL DEFAULT now()
  family_visit_cases.updated_at timestamp with time zone NOT NULL DEFAULT now()
  family_visit_cases.no_leave_possible boolean NOT NULL DEFAULT false
  family_visit_cases.distance_km integer
  family_visit_cases.proposed_slots smallint
table family_visit_documents
  family_visit_documents.id uuid NOT NULL DEFAULT gen_random_uuid()
  family_visit_documents.request_id uuid NOT NULL
  family_visit_documents.kind text NOT NULL
  family_visit_documents.consent_given_by text
  family_visit_documents.consent_capacity text
  family_visit_documents.storage_key text NOT NULL
  family_visit_documents.content_type text NOT NULL
  family_visit_documents.size_bytes integer NOT NULL
  family_visit_documents.sha256 character(64) NOT NULL
  family_visit_documents.original_name text NOT NULL
  family_visit_documents.created_at timestamp with time zone NOT NULL DEFAULT now()
  family_visit_documents.deleted_at timestamp with time zone
  family_visit_documents.consent_companion text
table family_visit_events
  family_visit_events.id uuid NOT NULL DEFAULT gen_random_uuid()
  family_visit_events.case_id uuid NOT NULL
  family_visit_events.request_id uuid
  family_visit_events.at timestamp with time zone NOT NULL DEFAULT now()
  family_visit_events.kind text NOT NULL
  family_visit_events.message text
  family_visit_events.visible_to_family boolean NOT NULL DEFAULT false
  family_visit_events.actor_type text NOT NULL
  family_visit_events.actor_id uuid
table family_visit_interviews
  family_visit_interviews.id uuid NOT NULL DEFAULT gen_random_uuid()
  family_visit_interviews.request_id uuid NOT NULL
  family_visit_interviews.counsellor_id uuid NOT NULL
  family_visit_interviews.at timestamp with time zone NOT NULL
  family_visit_interviews.mode text NOT NULL
  family_visit_interviews.status text NOT NULL DEFAULT 'SCHEDULED'::text
  family_visit_interviews.notes text
  family_visit_interviews.link_assessment text
  family_visit_interviews.preparation_assessment text
  family_visit_interviews.appointment_id uuid
  family_visit_interviews.created_at timestamp with time zone NOT NULL DEFAULT now()
  family_visit_interviews.with_accompanying_adult boolean NOT NULL DEFAULT false
table family_visit_juvenile_judge_opinions
  family_visit_juvenile_judge_opinions.request_id uuid NOT NULL
  family_visit_juvenile_judge_opinions.followed boolean NOT NULL
  family_visit_juvenile_judge_opinions.pjj_service text
  family_visit_juvenile_judge_opinions.asked_on date
  family_visit_juvenile_judge_opinions.opinion text
  family_visit_juvenile_judge_opinions.received_on date
  family_visit_juvenile_judge_opinions.notes text
  family_visit_juvenile_judge_opinions.recorded_by uuid NOT NULL
  family_visit_juvenile_judge_opinions.updated_at timestamp with time zone NOT NULL DEFAULT now()
table family_visit_requests
  family_visit_requests.id uuid NOT NULL DEFAULT gen_random_uuid()
  family_visit_requests.case_id uuid NOT NULL
  family_visit_requests.applicant text NOT NULL
  family_visit_requests.permit_id uuid
  family_visit_requests.family_account_id uuid
  family_visit_requests.channel text NOT NULL
  family_visit_requests.received_at timestamp with time zone NOT NULL
  family_visit_requests.status text NOT NULL DEFAULT 'RECEIVED'::text
  family_visit_requests.rules_acknowledged_at timestamp with time zone
  family_visit_requests.accompanied_by uuid
  family_visit_requests.child_exit_time time without time zone
  family_visit_requests.child_carer text
  family_visit_requests.decided_at timestamp with time zone
  family_visit_requests.decided_by uuid
  family_visit_requests.decided_as text
  family_visit_requests.decision_motivation text
  family_visit_requests.refusal_ground text
  family_visit_requests.granted_hours integer
  family_visit_requests.magistrate_answer text
  family_visit_requests.magistrate_until date
  family_visit_requests.created_at timestamp with time zone NOT NULL DEFAULT now()
  family_visit_requests.updated_at timestamp with time zone NOT NULL DEFAULT now()
  family_visit_requests.decision_facts text
  family_visit_requests.granted_slots smallint
  family_visit_requests.decided_by_magistrate boolean NOT NULL DEFAULT false
  family_visit_requests.litigation_hold_since timestamp with time zone
  family_visit_requests.litigation_note text
  family_visit_requests.reused_authorisation_from uuid
  family_visit_requests.authorisation_followup text
  family_visit_requests.authorisation_followup_on date
  family_visit_requests.wished_from date NOT NULL
  family_visit_requests.wished_to date NOT NULL
  family_visit_requests.wished_hours integer NOT NULL
  family_visit_requests.withdrawn_at timestamp with time zone
table family_visit_stay_events
  family_visit_stay_events.id uuid NOT NULL DEFAULT gen_random_uuid()
  family_visit_stay_events.stay_id uuid NOT NULL
  family_visit_stay_events.kind text NOT NULL
  family_visit_stay_events.at timestamp with time zone NOT NULL DEFAULT now()
  family_visit_stay_events.agent_id uuid NOT NULL
  family_visit_stay_events.notes text NOT NULL
  family_visit_stay_events.intervention_cause text
  family_visit_stay_events.decided_by uuid
table family_visit_stays
  family_visit_stays.id uuid NOT NULL DEFAULT gen_random_uuid()
  family_visit_stays.case_id uuid NOT NULL
  family_visit_stays.unit_id uuid NOT NULL
  family_visit_stays.during tstzrange NOT NULL
  family_visit_stays.visitors integer NOT NULL
  family_visit_stays.status text NOT NULL DEFAULT 'BOOKED'::text
  family_visit_stays.ended_at timestamp with time zone
  family_visit_stays.end_reason text
  family_visit_stays.created_at timestamp with time zone NOT NULL DEFAULT now()
  family_visit_stays.break_from timestamp with time zone
  family_visit_stays.break_to timestamp with time zone
  family_visit_stays.detainee_id uuid NOT NULL
table letters
  letters.id uuid NOT NULL DEFAULT gen_random_uuid()
  letters.establishment_id uuid NOT NULL
  letters.request_id uuid
  letters.permit_id uuid
  letters.measure_id uuid
  letters.family_account_id uuid
  letters.kind text NOT NULL
  letters.title text NOT NULL
  letters.addressee text NOT NULL
  letters.author text
  letters.body jsonb NOT NULL
  letters.issued_at timestamp with time zone NOT NULL DEFAULT now()
  letters.family_visit_case_id uuid
  letters.family_visit_request_id uuid
table migrations
  migrations.id integer NOT NULL DEFAULT nextval('migrations_id_seq'::regclass)
  migrations.timestamp bigint NOT NULL
  migrations.name character varying NOT NULL
table no_contact_orders
  no_contact_orders.id uuid NOT NULL DEFAULT gen_random_uuid()
  no_contact_orders.detainee_id uuid NOT NULL
  no_contact_orders.person_given_name text NOT NULL
  no_contact_orders.person_family_name text NOT NULL
  no_contact_orders.person_birthdate date
  no_contact_orders.source text NOT NULL
  no_contact_orders.authority text NOT NULL
  no_contact_orders.valid_until date
  no_contact_orders.recorded_by uuid NOT NULL
  no_contact_orders.recorded_at timestamp with time zone NOT NULL DEFAULT now()
  no_contact_orders.ended_at timestamp with time zone
table notification_attempts
  notification_attempts.id uuid NOT NULL DEFAULT gen_random_uuid()
  notification_attempts.notification_id uuid NOT NULL
  notification_attempts.attempt integer NOT NULL
  notification_attempts.started_at timestamp with time zone NOT NULL
  notification_attempts.finished_at timestamp with time zone NOT NULL
  notification_attempts.outcome text NOT NULL
  notification_attempts.detail text
table notification_recipients
  notification_recipients.id uuid NOT NULL DEFAULT gen_random_uuid()
  notification_recipients.channel text NOT NULL
  notification_recipients.address text NOT NULL
  notification_recipients.optout_token character varying(24) NOT NULL
  notification_recipients.reminders_opted_out_at timestamp with time zone
  notification_recipients.created_at timestamp with time zone NOT NULL DEFAULT now()
  notification_recipients.language text
table notifications
  notifications.id uuid NOT NULL DEFAULT gen_random_uuid()
  notifications.recipient_id uuid NOT NULL
  notifications.channel text NOT NULL
  notifications.template text NOT NULL
  notifications.category text NOT NULL
  notifications.data jsonb NOT NULL DEFAULT '{}'::jsonb
  notifications.subject text
  notifications.body_text text NOT NULL
  notifications.body_html text
  notifications.entity_type text
  notifications.entity_id uuid
  notifications.establishment_id uuid
  notifications.send_after timestamp with time zone NOT NULL
  notifications.status text NOT NULL DEFAULT 'PENDING'::text
  notifications.status_reason text
  notifications.attempts integer NOT NULL DEFAULT 0
  notifications.next_attempt_at timestamp with time zone NOT NULL
  notifications.lease_until timestamp with time zone
  notifications.provider_message_id text
  notifications.sent_at timestamp with time zone
  notifications.created_at timestamp with time zone NOT NULL DEFAULT now()
  notifications.updated_at timestamp with time zone NOT NULL DEFAULT now()
table oversight_assignments
  oversight_assignments.id uuid NOT NULL DEFAULT gen_random_uuid()
  oversight_assignments.agent_id uuid NOT NULL
  oversight_assignments.scope text NOT NULL
  oversight_assignments.direction text
  oversight_assignments.granted_at timestamp with time zone NOT NULL DEFAULT now()
table permit_claim_failures
  permit_claim_failures.id bigint NOT NULL DEFAULT nextval('permit_claim_failures_id_seq'::regclass)
  permit_claim_failures.family_account_id uuid NOT NULL
  permit_claim_failures.at timestamp with time zone NOT NULL DEFAULT now()
table permit_documents
  permit_documents.id uuid NOT NULL DEFAULT gen_random_uuid()
  permit_documents.request_id uuid
  permit_documents.kind text NOT NULL
  permit_documents.storage_key text NOT NULL
  permit_documents.content_type text NOT NULL
  permit_documents.size_bytes integer NOT NULL
  permit_documents.sha256 character(64) NOT NULL
  permit_documents.original_name text NOT NULL
  permit_documents.review text NOT NULL DEFAULT 'PENDING'::text
  permit_documents.review_reason text
  permit_documents.current boolean NOT NULL DEFAULT true
  permit_documents.deleted_at timestamp with time zone
  permit_documents.created_at timestamp with time zone NOT NULL DEFAULT now()
table permit_imports
  permit_imports.id uuid NOT NULL DEFAULT gen_random_uuid()
  permit_imports.establishment_id uuid NOT NULL
  permit_imports.created_by uuid NOT NULL
  permit_imports.created_at timestamp with time zone NOT NULL DEFAULT now()
  permit_imports.file_name text NOT NULL
  permit_imports.status text NOT NULL DEFAULT 'PREVIEW'::text
  permit_imports.total_rows integer NOT NULL DEFAULT 0
  permit_imports.rejected_rows integer NOT NULL DEFAULT 0
  permit_imports.processed_rows integer NOT NULL DEFAULT 0
  permit_imports.created_permits integer NOT NULL DEFAULT 0
  permit_imports.preview jsonb NOT NULL DEFAULT '[]'::jsonb
  permit_imports.error text
  permit_imports.finished_at timestamp with time zone
table permit_lookup_failures
  permit_lookup_failures.id bigint NOT NULL DEFAULT nextval('permit_lookup_failures_id_seq'::regclass)
  permit_lookup_failures.family_account_id uuid NOT NULL
  permit_lookup_failures.at timestamp with time zone NOT NULL DEFAULT now()
table permit_measures
  permit_measures.id uuid NOT NULL DEFAULT gen_random_uuid()
  permit_measures.permit_id uuid NOT NULL
  permit_measures.establishment_id uuid NOT NULL
  permit_measures.kind text NOT NULL
  permit_measures.status text NOT NULL
  permit_measures.grounds text NOT NULL
  permit_measures.urgent boolean NOT NULL DEFAULT false
  permit_measures.suspended_until date
  permit_measures.observations_due date
  permit_measures.observations text
  permit_measures.observations_at timestamp with time zone
  permit_measures.magistrate text
  permit_measures.magistrate_answer text
  permit_measures.magistrate_answer_note text
  permit_measures.answered_at timestamp with time zone
  permit_measures.proposed_by uuid NOT NULL
  permit_measures.proposed_at timestamp with time zone NOT NULL DEFAULT now()
  permit_measures.decided_by uuid
  permit_measures.decided_at timestamp with time zone
table permit_request_events
  permit_request_events.id uuid NOT NULL DEFAULT gen_random_uuid()
  permit_request_events.request_id uuid NOT NULL
  permit_request_events.at timestamp with time zone NOT NULL DEFAULT now()
  permit_request_events.kind text NOT NULL
  permit_request_events.status text
  permit_request_events.message text
  permit_request_events.visible_to_family boolean NOT NULL
  permit_request_events.actor_type text NOT NULL
  permit_request_events.actor_id uuid
table permit_requests
  permit_requests.id uuid NOT NULL DEFAULT gen_random_uuid()
  permit_requests.reference character varying(12)
  permit_requests.family_account_id uuid NOT NULL
  permit_requests.establishment_id uuid
  permit_requests.detainee_id uuid
  permit_requests.step integer NOT NULL DEFAULT 1
  permit_requests.documents_understood boolean NOT NULL DEFAULT false
  permit_requests.for_self boolean
  permit_requests.visitor_given_name text
  permit_requests.visitor_family_name text
  permit_requests.visitor_birthdate date
  permit_requests.relationship text
  permit_requests.relationship_detail text
  permit_requests.id_document_type text
  permit_requests.comment text
  permit_requests.status text NOT NULL DEFAULT 'DRAFT'::text
  permit_requests.submitted_at timestamp with time zone
  permit_requests.complete_at timestamp with time zone
  permit_requests.decided_at timestamp with time zone
  permit_requests.decided_by uuid
  permit_requests.decision_motivation text
  permit_requests.created_at timestamp with time zone NOT NULL DEFAULT now()
  permit_requests.updated_at timestamp with time zone NOT NULL DEFAULT now()
  permit_requests.withdrawn_at timestamp with time zone
  permit_requests.refusal_ground text
  permit_requests.decided_as text
  permit_requests.documents_due date
  permit_requests.litigation_hold_since timestamp with time zone
  permit_requests.litigation_note text
table permits
  permits.id uuid NOT NULL DEFAULT gen_random_uuid()
  permits.request_id uuid
  permits.establishment_id uuid NOT NULL
  permits.detainee_id uuid NOT NULL
  permits.family_account_id uuid
  permits.visitor_given_name text NOT NULL
  permits.visitor_family_name text NOT NULL
  permits.visitor_birthdate date NOT NULL
  permits.relationship text NOT NULL
  permits.photo_document_id uuid
  permits.valid_from date NOT NULL
  permits.valid_to date
  permits.status text NOT NULL DEFAULT 'ACTIVE'::text
  permits.status_reason text
  permits.origin text NOT NULL
  permits.created_at timestamp with time zone NOT NULL DEFAULT now()
  permits.updated_at timestamp with time zone NOT NULL DEFAULT now()
  permits.claim_code character varying(12)
  permits.claimed_at timestamp with time zone
  permits.max_visits integer
  permits.room_condition text
  permits.allowed_days smallint[]
  permits.allowed_from time without time zone
  permits.allowed_to time without time zone
  permits.conditions_note text
  permits.issuing_authority text
  permits.paper_reference text
  permits.head_review_due boolean NOT NULL DEFAULT false
  permits.import_id uuid
  permits.unaccompanied_consent_at timestamp with time zone
  permits.unaccompanied_consent_by uuid
  permits.unaccompanied_consent_document_id uuid
  permits.unaccompanied_consent_note text
table phone_accounts
  phone_accounts.detainee_id uuid NOT NULL
  phone_accounts.balance_cents integer NOT NULL DEFAULT 0
  phone_accounts.blocked_cents integer NOT NULL DEFAULT 0
  phone_accounts.plan_code text NOT NULL DEFAULT 'NONE'::text
  phone_accounts.updated_at timestamp with time zone NOT NULL DEFAULT now()
table rate_limit_hits
  rate_limit_hits.key text NOT NULL
  rate_limit_hits.window_start timestamp with time zone NOT NULL
  rate_limit_hits.hits integer NOT NULL
table role_assignments
  role_assignments.id uuid NOT NULL DEFAULT gen_random_uuid()
  role_assignments.agent_id uuid NOT NULL
  role_assignments.establishment_id uuid NOT NULL
  role_assignments.role text NOT NULL
  role_assignments.granted_by uuid
  role_assignments.granted_at timestamp with time zone NOT NULL DEFAULT now()
table sanctioned_numbers
  sanctioned_numbers.id uuid NOT NULL DEFAULT gen_random_uuid()
  sanctioned_numbers.establishment_id uuid NOT NULL
  sanctioned_numbers.phone text NOT NULL
  sanctioned_numbers.until timestamp with time zone
  sanctioned_numbers.motivation text NOT NULL
  sanctioned_numbers.decided_at timestamp with time zone NOT NULL DEFAULT now()
  sanctioned_numbers.decided_by uuid NOT NULL
  sanctioned_numbers.lifted_at timestamp with time zone
  sanctioned_numbers.lifted_by uuid
  sanctioned_numbers.lift_motivation text
table session
  session.sid character varying NOT NULL
  session.sess json NOT NULL
  session.expire timestamp(6) without time zone NOT NULL
table signature_delegations
  signature_delegations.id uuid NOT NULL DEFAULT gen_random_uuid()
  signature_delegations.establishment_id uuid NOT NULL
  signature_delegations.agent_id uuid NOT NULL
  signature_delegations.valid_from date NOT NULL
  signature_delegations.valid_to date
  signature_delegations.created_by uuid NOT NULL
  signature_delegations.created_at timestamp with time zone NOT NULL DEFAULT now()
  signature_delegations.revoked_at timestamp with time zone
table slot_templates
  slot_templates.id uuid NOT NULL DEFAULT gen_random_uuid()
  slot_templates.room_id uuid NOT NULL
  slot_templates.day_of_week integer NOT NULL
  slot_templates.start_time time without time zone NOT NULL
  slot_templates.end_time time without time zone NOT NULL
  slot_templates.capacity integer NOT NULL
  slot_templates.valid_from date NOT NULL
  slot_templates.valid_to date
table video_call_access
  video_call_access.id uuid NOT NULL DEFAULT gen_random_uuid()
  video_call_access.detainee_id uuid NOT NULL
  video_call_access.status text NOT NULL
  video_call_access.suspended_until timestamp with time zone
  video_call_access.motivation text
  video_call_access.decided_at timestamp with time zone NOT NULL DEFAULT now()
  video_call_access.decided_by uuid NOT NULL
table video_call_bookings
  video_call_bookings.id uuid NOT NULL DEFAULT gen_random_uuid()
  video_call_bookings.establishment_id uuid NOT NULL
  video_call_bookings.detainee_id uuid NOT NULL
  video_call_bookings.contact_id uuid NOT NULL
  video_call_bookings.device_id uuid NOT NULL
  video_call_bookings.slot tstzrange NOT NULL
  video_call_bookings.status text NOT NULL DEFAULT 'BOOKED'::text
  video_call_bookings.plan_code text NOT NULL
  video_call_bookings.cents_per_minute integer NOT NULL
  video_call_bookings.connection_cents integer NOT NULL
  video_call_bookings.blocked_cents integer NOT NULL
  video_call_bookings.charged_cents integer
  video_call_bookings.duration_seconds integer
  video_call_bookings.booked_at timestamp with time zone NOT NULL DEFAULT now()
  video_call_bookings.booked_by uuid NOT NULL
  video_call_bookings.cancelled_at timestamp with time zone
  video_call_bookings.cancelled_by uuid
  video_call_bookings.cancel_reason text
table video_call_charters
  video_call_charters.id uuid NOT NULL DEFAULT gen_random_uuid()
  video_call_charters.detainee_id uuid NOT NULL
  video_call_charters.signed_on date NOT NULL
  video_call_charters.scan_storage_key text
  video_call_charters.recorded_at timestamp with time zone NOT NULL DEFAULT now()
  video_call_charters.recorded_by uuid NOT NULL
table video_call_codes
  video_call_codes.id uuid NOT NULL DEFAULT gen_random_uuid()
  video_call_codes.booking_id uuid NOT NULL
  video_call_codes.code_hash text NOT NULL
  video_call_codes.created_at timestamp with time zone NOT NULL DEFAULT now()
  video_call_codes.expires_at timestamp with time zone NOT NULL
  video_call_codes.used_at timestamp with time zone
  video_call_codes.failed_attempts integer NOT NULL DEFAULT 0
table video_call_devices
  video_call_devices.id uuid NOT NULL DEFAULT gen_random_uuid()
  video_call_devices.establishment_id uuid NOT NULL
  video_call_devices.name text NOT NULL
  video_call_devices.active boolean NOT NULL DEFAULT true
  video_call_devices.created_at timestamp with time zone NOT NULL DEFAULT now()
table video_call_settings
  video_call_settings.id uuid NOT NULL DEFAULT gen_random_uuid()
  video_call_settings.establishment_id uuid NOT NULL
  video_call_settings.version integer NOT NULL
  video_call_settings.settings jsonb NOT NULL
  video_call_settings.valid_from timestamp with time zone NOT NULL DEFAULT now()
  video_call_settings.changed_by uuid NOT NULL
table visit_imports
  visit_imports.id uuid NOT NULL DEFAULT gen_random_uuid()
  visit_imports.establishment_id uuid NOT NULL
  visit_imports.filename text NOT NULL
  visit_imports.imported_by uuid NOT NULL
  visit_imports.created_at timestamp with time zone NOT NULL DEFAULT now()
  visit_imports.visits_created integer NOT NULL
  visit_imports.visits_existing integer NOT NULL
  visit_imports.visitors_unmatched integer NOT NULL
  visit_imports.lines_rejected integer NOT NULL
  visit_imports.report jsonb NOT NULL
table visit_incidents
  visit_incidents.id uuid NOT NULL DEFAULT gen_random_uuid()
  visit_incidents.establishment_id uuid NOT NULL
  visit_incidents.visit_id uuid NOT NULL
  visit_incidents.visitor_id uuid
  visit_incidents.reason text NOT NULL
  visit_incidents.report text NOT NULL
  visit_incidents.interrupted_at timestamp with time zone
  visit_incidents.written_by uuid NOT NULL
  visit_incidents.written_at timestamp with time zone NOT NULL
table visit_restrictions
  visit_restrictions.id uuid NOT NULL DEFAULT gen_random_uuid()
  visit_restrictions.establishment_id uuid NOT NULL
  visit_restrictions.detainee_id uuid NOT NULL
  visit_restrictions.kind text NOT NULL
  visit_restrictions.cause text
  visit_restrictions.starts_at timestamp with time zone NOT NULL
  visit_restrictions.ends_at timestamp with time zone NOT NULL
  visit_restrictions.note text
  visit_restrictions.created_by uuid NOT NULL
  visit_restrictions.created_at timestamp with time zone NOT NULL DEFAULT now()
  visit_restrictions.ended_early_at timestamp with time zone
  visit_restrictions.ended_by uuid
table visit_settings
  visit_settings.establishment_id uuid NOT NULL
  visit_settings.min_notice_hours integer NOT NULL DEFAULT 24
  visit_settings.horizon_days integer NOT NULL DEFAULT 28
  visit_settings.cancel_deadline_hours integer NOT NULL DEFAULT 24
  visit_settings.max_adults integer NOT NULL DEFAULT 3
  visit_settings.max_children integer NOT NULL DEFAULT 3
  visit_settings.weekly_prevenu integer NOT NULL DEFAULT 3
  visit_settings.weekly_condamne integer NOT NULL DEFAULT 1
  visit_settings.online_booking boolean NOT NULL DEFAULT true
  visit_settings.open_on_holidays boolean NOT NULL DEFAULT false
  visit_settings.waitlist_offer_hours integer NOT NULL DEFAULT 12
table visit_slots
  visit_slots.id uuid NOT NULL DEFAULT gen_random_uuid()
  visit_slots.room_id uuid NOT NULL
  visit_slots.template_id uuid
  visit_slots.starts_at timestamp with time zone NOT NULL
  visit_slots.ends_at timestamp with time zone NOT NULL
  visit_slots.capacity integer NOT NULL
  visit_slots.booked integer NOT NULL DEFAULT 0
  visit_slots.held integer NOT NULL DEFAULT 0
table visit_visitors
  visit_visitors.visit_id uuid NOT NULL
  visit_visitors.permit_id uuid
  visit_visitors.during tstzrange NOT NULL
  visit_visitors.active boolean NOT NULL DEFAULT true
  visit_visitors.id uuid NOT NULL DEFAULT gen_random_uuid()
  visit_visitors.given_name text
  visit_visitors.family_name text
  visit_visitors.birthdate date
  visit_visitors.check_status text
  visit_visitors.refusal_reason text
  visit_visitors.checked_at timestamp with time zone
  visit_visitors.checked_by uuid
table visit_waitlist
  visit_waitlist.id uuid NOT NULL DEFAULT gen_random_uuid()
  visit_waitlist.establishment_id uuid NOT NULL
  visit_waitlist.template_id uuid NOT NULL
  visit_waitlist.day date NOT NULL
  visit_waitlist.starts_at timestamp with time zone NOT NULL
  visit_waitlist.family_account_id uuid NOT NULL
  visit_waitlist.detainee_id uuid NOT NULL
  visit_waitlist.permit_ids uuid[] NOT NULL
  visit_waitlist.status text NOT NULL DEFAULT 'WAITING'::text
  visit_waitlist.offered_at timestamp with time zone
  visit_waitlist.offer_expires_at timestamp with time zone
  visit_waitlist.visit_id uuid
  visit_waitlist.created_at timestamp with time zone NOT NULL DEFAULT now()
table visiting_rooms
  visiting_rooms.id uuid NOT NULL DEFAULT gen_random_uuid()
  visiting_rooms.establishment_id uuid NOT NULL
  visiting_rooms.name text NOT NULL
  visiting_rooms.kind text NOT NULL
  visiting_rooms.cabins integer NOT NULL
  visiting_rooms.active boolean NOT NULL DEFAULT true
table visits
  visits.id uuid NOT NULL DEFAULT gen_random_uuid()
  visits.establishment_id uuid NOT NULL
  visits.slot_id uuid NOT NULL
  visits.detainee_id uuid NOT NULL
  visits.family_account_id uuid
  visits.appointment_id uuid
  visits.reference character varying(12) NOT NULL
  visits.status text NOT NULL DEFAULT 'BOOKED'::text
  visits.channel text NOT NULL
  visits.idempotency_key text
  visits.during tstzrange NOT NULL
  visits.booked_by_agent uuid
  visits.created_at timestamp with time zone NOT NULL DEFAULT now()
  visits.cancelled_at timestamp with time zone
  visits.import_id uuid
  visits.review_reason text
  visits.review_flagged_at timestamp with time zone
  visits.first_check_at timestamp with time zone
  visits.last_check_at timestamp with time zone
  visits.ended_at timestamp with time zone
constraint agents.agents_email_check: CHECK (((email = lower(email)) AND (email ~~ '%_@_%'::text)))
constraint agents.agents_email_key: UNIQUE (email)
constraint agents.agents_oidc_subject_key: UNIQUE (oidc_subject)
constraint agents.agents_pkey: PRIMARY KEY (id)
constraint appointments.appointments_cancelled: CHECK (((status = 'CANCELLED'::text) = (cancelled_at IS NOT NULL)))
constraint appointments.appointments_contact_phone_check: CHECK ((contact_phone ~ '^\+[1-9][0-9]{6,14}$'::text))
constraint appointments.appointments_duration: CHECK ((ends_at > starts_at))
constraint appointments.appointments_establishment_id_fkey: FOREIGN KEY (establishment_id) REFERENCES establishments(id)
constraint appointments.appointments_family_account_id_fkey: FOREIGN KEY (family_account_id) REFERENCES family_accounts(id)
constraint appointments.appointments_kind_check: CHECK ((kind = ANY (ARRAY['VISIT'::text, 'SPIP_INTERVIEW'::text, 'VIDEO_CALL'::text])))
constraint appointments.appointments_pkey: PRIMARY KEY (id)
constraint appointments.appointments_reference_key: UNIQUE (reference)
constraint appointments.appointments_status_check: CHECK ((status = ANY (ARRAY['BOOKED'::text, 'CANCELLED'::text])))
constraint audit_log.audit_log_actor_type_check: CHECK ((actor_type = ANY (ARRAY['AGENT'::text, 'FAMILY'::text, 'SYSTEM'::text])))
constraint audit_log.audit_log_hash_key: UNIQUE (hash)
constraint audit_log.audit_log_pkey: PRIMARY KEY (id)
constraint closures.closures_establishment_id_fkey: FOREIGN KEY (establishment_id) REFERENCES establishments(id)
constraint closures.closures_pkey: PRIMARY KEY (id)
constraint closures.closures_reason_check: CHECK ((length(TRIM(BOTH FROM reason)) > 0))
constraint closures.closures_room_id_fkey: FOREIGN KEY (room_id) REFERENCES visiting_rooms(id)
constraint closures.closures_template_id_fkey: FOREIGN KEY (template_id) REFERENCES slot_templates(id)
constraint demo_inbox.demo_inbox_channel_check: CHECK ((channel = ANY (ARRAY['EMAIL'::text, 'SMS'::text])))
constraint demo_inbox.demo_inbox_pkey: PRIMARY KEY (id)
constraint detainee_import_previews.detainee_import_previews_agent_id_fkey: FOREIGN KEY (agent_id) REFERENCES agents(id)
constraint detainee_import_previews.detainee_import_previews_establishment_id_fkey: FOREIGN KEY (establishment_id) REFERENCES establishments(id)
constraint detainee_import_previews.detainee_import_previews_pkey: PRIMARY KEY (id)
constraint detainee_phone_contacts.detainee_phone_contacts_consent: CHECK ((((consent_given_by IS NULL) = (consent_recorded_at IS NULL)) AND ((consent_given_by IS NULL) = (consent_recorded_by IS NULL)) AND ((consent_given_by IS NULL) OR (minor AND (length(TRIM(BOTH FROM consent_given_by)) > 0)))))
constraint detainee_phone_contacts.detainee_phone_contacts_consent_recorded_by_fkey: FOREIGN KEY (consent_recorded_by) REFERENCES agents(id)
constraint detainee_phone_contacts.detainee_phone_contacts_created_by_fkey: FOREIGN KEY (created_by) REFERENCES agents(id)
constraint detainee_phone_contacts.detainee_phone_contacts_detainee_id_fkey: FOREIGN KEY (detainee_id) REFERENCES detainees(id)
constraint detainee_phone_contacts.detainee_phone_contacts_detainee_unique: UNIQUE (id, detainee_id)
constraint detainee_phone_contacts.detainee_phone_contacts_name_check: CHECK (((length(TRIM(BOTH FROM name)) >= 1) AND (length(TRIM(BOTH FROM name)) <= 200)))
constraint detainee_phone_contacts.detainee_phone_contacts_phone_check: CHECK ((phone ~ '^\+[1-9][0-9]{6,14}$'::text))
constraint detainee_phone_contacts.detainee_phone_contacts_pkey: PRIMARY KEY (id)
constraint detainee_phone_contacts.detainee_phone_contacts_relationship_check: CHECK (((length(TRIM(BOTH FROM relationship)) >= 1) AND (length(TRIM(BOTH FROM relationship)) <= 100)))
constraint detainee_transfer_proposals.detainee_transfer_proposals_decided_by_fkey: FOREIGN KEY (decided_by) REFERENCES agents(id)
constraint detainee_transfer_proposals.detainee_transfer_proposals_decision: CHECK (((status = 'PENDING'::text) = (decided_at IS NULL)))
constraint detainee_transfer_proposals.detainee_transfer_proposals_detainee_id_fkey: FOREIGN KEY (detainee_id) REFERENCES detainees(id)
constraint detainee_transfer_proposals.detainee_transfer_proposals_new_ecrou_check: CHECK (((new_ecrou)::text ~ '^[0-9A-Z]{1,20}$'::text))
constraint detainee_transfer_proposals.detainee_transfer_proposals_pkey: PRIMARY KEY (id)
constraint detainee_transfer_proposals.detainee_transfer_proposals_status_check: CHECK ((status = ANY (ARRAY['PENDING'::text, 'CONFIRMED'::text, 'DISMISSED'::text])))
constraint detainee_transfer_proposals.detainee_transfer_proposals_to_establishment_id_fkey: FOREIGN KEY (to_establishment_id) REFERENCES establishments(id)
constraint detainee_transfer_proposals.detainee_transfer_proposals_unique: UNIQUE (detainee_id, to_establishment_id, new_ecrou)
constraint detainees.detainees_custody_status_check: CHECK ((custody_status = ANY (ARRAY['PRESENT'::text, 'LIBERE'::text, 'TRANSFERE'::text])))
constraint detainees.detainees_ecrou_number_check: CHECK (((ecrou_number)::text ~ '^[0-9A-Z]{1,20}$'::text))
constraint detainees.detainees_ecrou_unique: UNIQUE (establishment_id, ecrou_number)
constraint detainees.detainees_establishment_id_fkey: FOREIGN KEY (establishment_id) REFERENCES establishments(id)
constraint detainees.detainees_first_name_check: CHECK ((length(TRIM(BOTH FROM first_name)) > 0))
constraint detainees.detainees_last_name_check: CHECK ((length(TRIM(BOTH FROM last_name)) > 0))
constraint detainees.detainees_left_at: CHECK (((custody_status = 'PRESENT'::text) = (left_at IS NULL)))
constraint detainees.detainees_legal_status_check: CHECK ((legal_status = ANY (ARRAY['PREVENU'::text, 'CONDAMNE'::text, 'MIXTE'::text])))
constraint detainees.detainees_pkey: PRIMARY KEY (id)
constraint detainees.detainees_transfer_target: CHECK (((custody_status = 'TRANSFERE'::text) = (transferred_to_id IS NOT NULL)))
constraint detainees.detainees_transferred_to_id_fkey: FOREIGN KEY (transferred_to_id) REFERENCES establishments(id)
constraint establishment_info.establishment_info_access: CHECK (((btrim(access) <> ''::text) AND (char_length(access) <= 2000)))
constraint establishment_info.establishment_info_accessibility: CHECK (((btrim(accessibility) <> ''::text) AND (char_length(accessibility) <= 1000)))
constraint establishment_info.establishment_info_dress_code: CHECK (((btrim(dress_code) <> ''::text) AND (char_length(dress_code) <= 1000)))
constraint establishment_info.establishment_info_establishment_id_fkey: FOREIGN KEY (establishment_id) REFERENCES establishments(id) ON DELETE CASCADE
constraint establishment_info.establishment_info_hours: CHECK (((btrim(parloir_hours) <> ''::text) AND (char_length(parloir_hours) <= 1000)))
constraint establishment_info.establishment_info_lockers: CHECK (((btrim(lockers) <> ''::text) AND (char_length(lockers) <= 1000)))
constraint establishment_info.establishment_info_phone: CHECK ((parloir_phone ~ '^\+[1-9][0-9]{6,14}$'::text))
constraint establishment_info.establishment_info_pkey: PRIMARY KEY (establishment_id)
constraint establishment_info.establishment_info_what_to_bring: CHECK (((btrim(what_to_bring) <> ''::text) AND (char_length(what_to_bring) <= 2000)))
constraint establishment_info_translations.establishment_info_translations_access: CHECK (((btrim(access) <> ''::text) AND (char_length(access) <= 2000)))
constraint establishment_info_translations.establishment_info_translations_accessibility: CHECK (((btrim(accessibility) <> ''::text) AND (char_length(accessibility) <= 1000)))
constraint establishment_info_translations.establishment_info_translations_dress_code: CHECK (((btrim(dress_code) <> ''::text) AND (char_length(dress_code) <= 1000)))
constraint establishment_info_translations.establishment_info_translations_establishment_id_fkey: FOREIGN KEY (establishment_id) REFERENCES establishments(id) ON DELETE CASCADE
constraint establishment_info_translations.establishment_info_translations_hours: CHECK (((btrim(parloir_hours) <> ''::text) AND (char_length(parloir_hours) <= 1000)))
constraint establishment_info_translations.establishment_info_translations_language: CHECK ((language = ANY (ARRAY['en'::text, 'ar'::text, 'es'::text])))
constraint establishment_info_translations.establishment_info_translations_lockers: CHECK (((btrim(lockers) <> ''::text) AND (char_length(lockers) <= 1000)))
constraint establishment_info_translations.establishment_info_translations_pkey: PRIMARY KEY (establishment_id, language)
constraint establishment_info_translations.establishment_info_translations_what_to_bring: CHECK (((btrim(what_to_bring) <> ''::text) AND (char_length(what_to_bring) <= 2000)))
constraint establishment_month_stats.establishment_month_stats_counts: CHECK (((requests_received >= 0) AND (granted >= 0) AND (refused >= 0) AND (implicitly_rejected >= 0) AND (decision_days_count >= 0) AND (visits_booked >= 0) AND (visits_online >= 0) AND (visits_held >= 0) AND (visits_no_show >= 0) AND (visits_refused >= 0) AND (visits_cancelled >= 0) AND (check_count >= 0) AND (check_days >= 0) AND (check_days <= 31) AND (detainees >= 0) AND (decision_days_sum >= (0)::double precision) AND (check_seconds_sum >= (0)::double precision)))
constraint establishment_month_stats.establishment_month_stats_establishment_id_fkey: FOREIGN KEY (establishment_id) REFERENCES establishments(id) ON DELETE CASCADE
constraint establishment_month_stats.establishment_month_stats_month: CHECK ((EXTRACT(day FROM month) = (1)::numeric))
constraint establishment_month_stats.establishment_month_stats_pkey: PRIMARY KEY (establishment_id, month)
constraint establishments.establishments_address_length: CHECK ((char_length(address) <= 500))
constraint establishments.establishments_code_check: CHECK (((code)::text ~ '^[A-Z0-9-]{2,16}$'::text))
constraint establishments.establishments_code_key: UNIQUE (code)
constraint establishments.establishments_direction: CHECK ((direction = ANY (ARRAY['BORDEAUX'::text, 'DIJON'::text, 'LILLE'::text, 'LYON'::text, 'MARSEILLE'::text, 'PARIS'::text, 'RENNES'::text, 'STRASBOURG'::text, 'TOULOUSE'::text, 'OUTRE_MER'::text])))
constraint establishments.establishments_holiday_zone: CHECK ((holiday_zone = ANY (ARRAY['METROPOLE'::text, 'ALSACE_MOSELLE'::text, 'GUADELOUPE'::text, 'MARTINIQUE'::text, 'GUYANE'::text, 'LA_REUNION'::text, 'MAYOTTE'::text])))
constraint establishments.establishments_kind_check: CHECK ((kind = ANY (ARRAY['MAISON_ARRET'::text, 'CENTRE_DETENTION'::text, 'MAISON_CENTRALE'::text, 'CENTRE_PENITENTIAIRE'::text, 'ETABLISSEMENT_MINEURS'::text, 'CENTRE_SEMI_LIBERTE'::text])))
constraint establishments.establishments_name_check: CHECK ((length(TRIM(BOTH FROM name)) > 0))
constraint establishments.establishments_pkey: PRIMARY KEY (id)
constraint family_accounts.family_accounts_closed_erased: CHECK (((closed_at IS NULL) OR ((email IS NULL) AND (mobile_phone IS NULL))))
constraint family_accounts.family_accounts_fc_subject_key: UNIQUE (fc_subject)
constraint family_accounts.family_accounts_language_check: CHECK ((language = ANY (ARRAY['fr'::text, 'en'::text, 'ar'::text, 'es'::text])))
constraint family_accounts.family_accounts_mobile_phone_check: CHECK ((mobile_phone ~ '^\+[1-9][0-9]{6,14}$'::text))
constraint family_accounts.family_accounts_pkey: PRIMARY KEY (id)
constraint family_units.family_units_capacity_check: CHECK (((capacity >= 1) AND (capacity <= 20)))
constraint family_units.family_units_establishment_id_fkey: FOREIGN KEY (establishment_id) REFERENCES establishments(id)
constraint family_units.family_units_house_rules_length: CHECK (((length(TRIM(BOTH FROM house_rules)) > 0) AND (length(house_rules) <= 4000)))
constraint family_units.family_units_kind_check: CHECK ((kind = ANY (ARRAY['UVF'::text, 'PF'::text])))
constraint family_units.family_units_name_check: CHECK ((length(TRIM(BOTH FROM name)) > 0))
constraint family_units.family_units_name_unique: UNIQUE (establishment_id, name)
constraint family_units.family_units_pkey: PRIMARY KEY (id)
constraint family_visit_cases.family_visit_cases_counsellor_id_fkey: FOREIGN KEY (counsellor_id) REFERENCES agents(id)
constraint family_visit_cases.family_visit_cases_cpu: CHECK (((cpu_opinion IS NULL) = (cpu_on IS NULL)))
constraint family_visit_cases.family_visit_cases_cpu_opinion_check: CHECK ((cpu_opinion = ANY (ARRAY['FAVOURABLE'::text, 'UNFAVOURABLE'::text, 'RESERVED'::text])))
constraint family_visit_cases.family_visit_cases_created_by_fkey: FOREIGN KEY (created_by) REFERENCES agents(id)
constraint family_visit_cases.family_visit_cases_detainee_id_fkey: FOREIGN KEY (detainee_id) REFERENCES detainees(id)
constraint family_visit_cases.family_visit_cases_distance_km_check: CHECK ((distance_km >= 0))
constraint family_visit_cases.family_visit_cases_establishment_id_fkey: FOREIGN KEY (establishment_id) REFERENCES establishments(id)
constraint family_visit_cases.family_visit_cases_kind_check: CHECK ((kind = ANY (ARRAY['UVF'::text, 'PF'::text])))
constraint family_visit_cases.family_visit_cases_period: CHECK ((wished_to >= wished_from))
constraint family_visit_cases.family_visit_cases_pkey: PRIMARY KEY (id)
constraint family_visit_cases.family_visit_cases_proposed_hours_check: CHECK (((proposed_hours >= 1) AND (proposed_hours <= 72)))
constraint family_visit_cases.family_visit_cases_proposed_slots: CHECK (((proposed_slots IS NULL) OR ((kind = 'PF'::text) AND (proposed_slots = ANY (ARRAY[1, 2])))))
constraint family_visit_cases.family_visit_cases_reference_key: UNIQUE (reference)
constraint family_visit_cases.family_visit_cases_referral: CHECK (((referred_at IS NULL) OR ((length(TRIM(BOTH FROM magistrate)) > 0) AND (length(TRIM(BOTH FROM referral_opinion)) > 0) AND (proposed_hours IS NOT NULL))))
constraint family_visit_cases.family_visit_cases_status_check: CHECK ((status = ANY (ARRAY['INSTRUCTION'::text, 'CPU'::text, 'REFERRED'::text, 'DECIDED'::text, 'CLOSED'::text])))
constraint family_visit_cases.family_visit_cases_wished_hours_check: CHECK (((wished_hours >= 1) AND (wished_hours <= 72)))
constraint family_visit_documents.family_visit_documents_consent: CHECK (((kind = 'PARENTAL_CONSENT'::text) = ((consent_capacity IS NOT NULL) AND (length(TRIM(BOTH FROM consent_given_by)) > 0))))
constraint family_visit_documents.family_visit_documents_consent_capacity_check: CHECK ((consent_capacity = ANY (ARRAY['BOTH_PARENTS'::text, 'SOLE_HOLDER'::text, 'DELEGATE'::text, 'GUARDIAN'::text])))
constraint family_visit_documents.family_visit_documents_consent_companion: CHECK (((consent_companion IS NULL) OR ((kind = 'PARENTAL_CONSENT'::text) AND (length(TRIM(BOTH FROM consent_companion)) > 0))))
constraint family_visit_documents.family_visit_documents_content_type_check: CHECK ((content_type = ANY (ARRAY['image/jpeg'::text, 'application/pdf'::text])))
constraint family_visit_documents.family_visit_documents_kind_check: CHECK ((kind = ANY (ARRAY['PARENTAL_CONSENT'::text, 'RULES_ACKNOWLEDGEMENT'::text, 'OTHER'::text])))
constraint family_visit_documents.family_visit_documents_pkey: PRIMARY KEY (id)
constraint family_visit_documents.family_visit_documents_request_id_fkey: FOREIGN KEY (request_id) REFERENCES family_visit_requests(id)
constraint family_visit_documents.family_visit_documents_size_bytes_check: CHECK ((size_bytes > 0))
constraint family_visit_documents.family_visit_documents_storage_key_key: UNIQUE (storage_key)
constraint family_visit_events.family_visit_events_actor_type_check: CHECK ((actor_type = ANY (ARRAY['AGENT'::text, 'FAMILY'::text, 'SYSTEM'::text])))
constraint family_visit_events.family_visit_events_case_id_fkey: FOREIGN KEY (case_id) REFERENCES family_visit_cases(id)
constraint family_visit_events.family_visit_events_pkey: PRIMARY KEY (id)
constraint family_visit_events.family_visit_events_request_id_fkey: FOREIGN KEY (request_id) REFERENCES family_visit_requests(id)
constraint family_visit_interviews.family_visit_interviews_appointment_id_fkey: FOREIGN KEY (appointment_id) REFERENCES appointments(id)
constraint family_visit_interviews.family_visit_interviews_counsellor_id_fkey: FOREIGN KEY (counsellor_id) REFERENCES agents(id)
constraint family_visit_interviews.family_visit_interviews_done: CHECK (((status <> 'DONE'::text) OR (length(TRIM(BOTH FROM notes)) > 0)))
constraint family_visit_interviews.family_visit_interviews_mode_check: CHECK ((mode = ANY (ARRAY['IN_PERSON'::text, 'PHONE'::text, 'VISIO'::text])))
constraint family_visit_interviews.family_visit_interviews_pkey: PRIMARY KEY (id)
constraint family_visit_interviews.family_visit_interviews_request_id_fkey: FOREIGN KEY (request_id) REFERENCES family_visit_requests(id)
constraint family_visit_interviews.family_visit_interviews_status_check: CHECK ((status = ANY (ARRAY['SCHEDULED'::text, 'DONE'::text, 'CANCELLED'::text])))
constraint family_visit_juvenile_judge_opinions.family_visit_juvenile_judge_asked: CHECK (
CASE
    WHEN followed THEN (COALESCE((length(TRIM(BOTH FROM pjj_service)) > 0), false) AND (asked_on IS NOT NULL))
    ELSE ((pjj_service IS NULL) AND (asked_on IS NULL))
END)
constraint family_visit_juvenile_judge_opinions.family_visit_juvenile_judge_opinions_notes_check: CHECK ((length(notes) <= 4000))
constraint family_visit_juvenile_judge_opinions.family_visit_juvenile_judge_opinions_opinion_check: CHECK ((opinion = ANY (ARRAY['FAVOURABLE'::text, 'UNFAVOURABLE'::text, 'RESERVED'::text])))
constraint family_visit_juvenile_judge_opinions.family_visit_juvenile_judge_opinions_pkey: PRIMARY KEY (request_id)
constraint family_visit_juvenile_judge_opinions.family_visit_juvenile_judge_opinions_recorded_by_fkey: FOREIGN KEY (recorded_by) REFERENCES agents(id)
constraint family_visit_juvenile_judge_opinions.family_visit_juvenile_judge_opinions_request_id_fkey: FOREIGN KEY (request_id) REFERENCES family_visit_requests(id)
constraint family_visit_juvenile_judge_opinions.family_visit_juvenile_judge_received: CHECK ((((opinion IS NULL) = (received_on IS NULL)) AND COALESCE((received_on >= asked_on), (received_on IS NULL))))
constraint family_visit_requests.family_visit_requests_accompanied_by_fkey: FOREIGN KEY (accompanied_by) REFERENCES family_visit_requests(id)
constraint family_visit_requests.family_visit_requests_applicant_check: CHECK ((applicant = ANY (ARRAY['DETAINEE'::text, 'VISITOR'::text])))
constraint family_visit_requests.family_visit_requests_authorisation_followup: CHECK ((((authorisation_followup IS NULL) = (authorisation_followup_on IS NULL)) AND ((authorisation_followup IS NULL) OR (decided_by_magistrate AND (magistrate_answer = ANY (ARRAY['PERMANENT'::text, 'TEMPORARY'::text]))))))
constraint family_visit_requests.family_visit_requests_authorisation_followup_check: CHECK ((authorisation_followup = ANY (ARRAY['MAINTAINED'::text, 'WITHDRAWN'::text])))
constraint family_visit_requests.family_visit_requests_case_id_fkey: FOREIGN KEY (case_id) REFERENCES family_visit_cases(id)
constraint family_visit_requests.family_visit_requests_channel_check: CHECK ((channel = ANY (ARRAY['ONLINE'::text, 'LETTER'::text, 'EMAIL'::text, 'IN_PERSON'::text])))
constraint family_visit_requests.family_visit_requests_decided_by_fkey: FOREIGN KEY (decided_by) REFERENCES agents(id)
constraint family_visit_requests.family_visit_requests_family_account_id_fkey: FOREIGN KEY (family_account_id) REFERENCES family_accounts(id)
constraint family_visit_requests.family_visit_requests_grant: CHECK (((status <> 'GRANTED'::text) OR (granted_hours IS NOT NULL)))
constraint family_visit_requests.family_visit_requests_granted_hours_check: CHECK (((granted_hours >= 1) AND (granted_hours <= 72)))
constraint family_visit_requests.family_visit_requests_granted_slots_check: CHECK ((granted_slots = ANY (ARRAY[1, 2])))
constraint family_visit_requests.family_visit_requests_litigation: CHECK (((litigation_hold_since IS NULL) OR (COALESCE(length(TRIM(BOTH FROM litigation_note)), 0) > 0)))
constraint family_visit_requests.family_visit_requests_magistrate: CHECK ((((magistrate_answer IS NULL) = (NOT decided_by_magistrate)) AND ((magistrate_answer IS DISTINCT FROM 'TEMPORARY'::text) OR (magistrate_until IS NOT NULL))))
constraint family_visit_requests.family_visit_requests_magistrate_answer_check: CHECK ((magistrate_answer = ANY (ARRAY['PERMANENT'::text, 'TEMPORARY'::text, 'REFUSED'::text])))
constraint family_visit_requests.family_visit_requests_permit_id_fkey: FOREIGN KEY (permit_id) REFERENCES permits(id)
constraint family_visit_requests.family_visit_requests_pkey: PRIMARY KEY (id)
constraint family_visit_requests.family_visit_requests_refusal: CHECK (((status <> 'REFUSED'::text) OR (length(TRIM(BOTH FROM decision_motivation)) >= 20)))
constraint family_visit_requests.family_visit_requests_refusal_facts: CHECK (((status <> 'REFUSED'::text) OR decided_by_magistrate OR (length(TRIM(BOTH FROM decision_facts)) > 0)))
constraint family_visit_requests.family_visit_requests_refusal_ground_check: CHECK ((refusal_ground = ANY (ARRAY['GOOD_ORDER'::text, 'SECURITY'::text, 'CRIME_PREVENTION'::text, 'ARCHITECTURE'::text, 'CHILD_INTEREST'::text])))
constraint family_visit_requests.family_visit_requests_reused_authorisation: CHECK (((reused_authorisation_from IS NULL) OR ((NOT decided_by_magistrate) AND (reused_authorisation_from <> id))))
constraint family_visit_requests.family_visit_requests_reused_authorisation_from_fkey: FOREIGN KEY (reused_authorisation_from) REFERENCES family_visit_requests(id)
constraint family_visit_requests.family_visit_requests_status_check: CHECK ((status = ANY (ARRAY['RECEIVED'::text, 'GRANTED'::text, 'REFUSED'::text, 'IMPLICITLY_REJECTED'::text, 'REFERRED'::text, 'WITHDRAWN'::text])))
constraint family_visit_requests.family_visit_requests_visitor_permit: CHECK (((applicant = 'VISITOR'::text) = (permit_id IS NOT NULL)))
constraint family_visit_requests.family_visit_requests_wished_hours: CHECK (((wished_hours >= 1) AND (wished_hours <= 72)))
constraint family_visit_requests.family_visit_requests_wished_period: CHECK ((wished_to >= wished_from))
constraint family_visit_requests.family_visit_requests_withdrawn: CHECK (((status = 'WITHDRAWN'::text) OR (withdrawn_at IS NULL)))
constraint family_visit_stay_events.family_visit_stay_events_agent_id_fkey: FOREIGN KEY (agent_id) REFERENCES agents(id)
constraint family_visit_stay_events.family_visit_stay_events_decided_by_fkey: FOREIGN KEY (decided_by) REFERENCES agents(id)
constraint family_visit_stay_events.family_visit_stay_events_intervention: CHECK ((((intervention_cause IS NULL) OR (kind = 'INTERVENTION'::text)) AND (COALESCE((intervention_cause = 'INCIDENT'::text), false) = (decided_by IS NOT NULL))))
constraint family_visit_stay_events.family_visit_stay_events_intervention_cause_check: CHECK ((intervention_cause = ANY (ARRAY['CALL'::text, 'INCIDENT'::text])))
constraint family_visit_stay_events.family_visit_stay_events_kind_check: CHECK ((kind = ANY (ARRAY['ENTRY_INVENTORY'::text, 'EXIT_INVENTORY'::text, 'BELONGINGS'::text, 'PRESENCE_CHECK'::text, 'ROUND'::text, 'INCIDENT'::text, 'INTERVENTION'::text, 'EARLY_END'::text])))
constraint family_visit_stay_events.family_visit_stay_events_notes_check: CHECK ((length(TRIM(BOTH FROM notes)) > 0))
constraint family_visit_stay_events.family_visit_stay_events_pkey: PRIMARY KEY (id)
constraint family_visit_stay_events.family_visit_stay_events_stay_id_fkey: FOREIGN KEY (stay_id) REFERENCES family_visit_stays(id)
constraint family_visit_stays.family_visit_stays_break: CHECK ((((break_from IS NULL) = (break_to IS NULL)) AND ((break_from IS NULL) OR ((lower(during) < break_from) AND (break_from < break_to) AND (break_to < upper(during))))))
constraint family_visit_stays.family_visit_stays_case_id_fkey: FOREIGN KEY (case_id) REFERENCES family_visit_cases(id)
constraint family_visit_stays.family_visit_stays_detainee_id_fkey: FOREIGN KEY (detainee_id) REFERENCES detainees(id)
constraint family_visit_stays.family_visit_stays_detainee_no_overlap: EXCLUDE USING gist (detainee_id WITH =, during WITH &&) WHERE ((status <> 'CANCELLED'::text))
constraint family_visit_stays.family_visit_stays_during_check: CHECK (((NOT isempty(during)) AND lower_inc(during) AND (NOT upper_inc(during))))
constraint family_visit_stays.family_visit_stays_end_reason: CHECK (((status = ANY (ARRAY['ENDED_EARLY'::text, 'CANCELLED'::text])) = COALESCE((length(TRIM(BOTH FROM end_reason)) > 0), false)))
constraint family_visit_stays.family_visit_stays_no_overlap: EXCLUDE USING gist (unit_id WITH =, during WITH &&) WHERE ((status <> 'CANCELLED'::text))
constraint family_visit_stays.family_visit_stays_pkey: PRIMARY KEY (id)
constraint family_visit_stays.family_visit_stays_status_check: CHECK ((status = ANY (ARRAY['BOOKED'::text, 'IN_PROGRESS'::text, 'ENDED'::text, 'ENDED_EARLY'::text, 'CANCELLED'::text])))
constraint family_visit_stays.family_visit_stays_unit_id_fkey: FOREIGN KEY (unit_id) REFERENCES family_units(id)
constraint family_visit_stays.family_visit_stays_visitors_check: CHECK ((visitors > 0))
constraint letters.letters_family_visit_case_id_fkey: FOREIGN KEY (family_visit_case_id) REFERENCES family_visit_cases(id)
constraint letters.letters_family_visit_request_id_fkey: FOREIGN KEY (family_visit_request_id) REFERENCES family_visit_requests(id)
constraint letters.letters_kind_check: CHECK ((kind = ANY (ARRAY['ACKNOWLEDGEMENT'::text, 'REFUSAL'::text, 'GRANT'::text, 'REEXAMINATION'::text, 'INTENDED_MEASURE'::text, 'SUSPENSION'::text, 'WITHDRAWAL'::text, 'REFERRAL'::text, 'CLAIM_CODE'::text, 'CONDITIONS'::text, 'FV_GRANT'::text, 'FV_REFUSAL'::text, 'FV_IMPLICIT_REJECTION'::text, 'FV_REFERRAL'::text, 'FV_MAGISTRATE_DECISION'::text, 'FV_JAP_NOTICE'::text, 'FV_INCIDENT'::text])))
constraint letters.letters_recourse: CHECK (((kind <> ALL (ARRAY['REFUSAL'::text, 'FV_REFUSAL'::text, 'FV_IMPLICIT_REJECTION'::text])) OR (body @> '{"recourse": true}'::jsonb)))
constraint letters.letters_subject: CHECK (
CASE
    WHEN (kind ~~ 'FV\_%'::text) THEN ((family_visit_case_id IS NOT NULL) AND (request_id IS NULL) AND (permit_id IS NULL))
    ELSE ((family_visit_case_id IS NULL) AND (family_visit_request_id IS NULL) AND ((request_id IS NOT NULL) OR (permit_id IS NOT NULL)))
END)
constraint letters.permit_letters_establishment_id_fkey: FOREIGN KEY (establishment_id) REFERENCES establishments(id)
constraint letters.permit_letters_family_account_id_fkey: FOREIGN KEY (family_account_id) REFERENCES family_accounts(id)
constraint letters.permit_letters_measure_id_fkey: FOREIGN KEY (measure_id) REFERENCES permit_measures(id)
constraint letters.permit_letters_permit_id_fkey: FOREIGN KEY (permit_id) REFERENCES permits(id)
constraint letters.permit_letters_pkey: PRIMARY KEY (id)
constraint letters.permit_letters_request_id_fkey: FOREIGN KEY (request_id) REFERENCES permit_requests(id)
constraint migrations.PK_8c82d7f526340ab734260ea46be: PRIMARY KEY (id)
constraint no_contact_orders.no_contact_orders_authority_check: CHECK ((length(TRIM(BOTH FROM authority)) > 0))
constraint no_contact_orders.no_contact_orders_detainee_id_fkey: FOREIGN KEY (detainee_id) REFERENCES detainees(id)
constraint no_contact_orders.no_contact_orders_person_family_name_check: CHECK ((length(TRIM(BOTH FROM person_family_name)) > 0))
constraint no_contact_orders.no_contact_orders_person_given_name_check: CHECK ((length(TRIM(BOTH FROM person_given_name)) > 0))
constraint no_contact_orders.no_contact_orders_pkey: PRIMARY KEY (id)
constraint no_contact_orders.no_contact_orders_recorded_by_fkey: FOREIGN KEY (recorded_by) REFERENCES agents(id)
constraint no_contact_orders.no_contact_orders_source_check: CHECK ((source = ANY (ARRAY['JUDICIAL_RECORD'::text, 'DECLARED'::text])))
constraint notification_attempts.notification_attempts_attempt_check: CHECK ((attempt >= 1))
constraint notification_attempts.notification_attempts_notification_id_fkey: FOREIGN KEY (notification_id) REFERENCES notifications(id)
constraint notification_attempts.notification_attempts_outcome_check: CHECK ((outcome = ANY (ARRAY['SENT'::text, 'ERROR'::text, 'DROPPED'::text])))
constraint notification_attempts.notification_attempts_pkey: PRIMARY KEY (id)
constraint notification_attempts.notification_attempts_unique: UNIQUE (notification_id, attempt)
constraint notification_recipients.notification_recipients_address_format: CHECK ((((channel = 'SMS'::text) AND (address ~ '^\+[1-9][0-9]{6,14}$'::text)) OR ((channel = 'EMAIL'::text) AND (address = lower(address)) AND (address ~~ '%_@_%'::text))))
constraint notification_recipients.notification_recipients_address_unique: UNIQUE (channel, address)
constraint notification_recipients.notification_recipients_channel_check: CHECK ((channel = ANY (ARRAY['EMAIL'::text, 'SMS'::text])))
constraint notification_recipients.notification_recipients_language_check: CHECK ((language = ANY (ARRAY['fr'::text, 'en'::text, 'ar'::text, 'es'::text])))
constraint notification_recipients.notification_recipients_optout_token_key: UNIQUE (optout_token)
constraint notification_recipients.notification_recipients_pkey: PRIMARY KEY (id)
constraint notifications.notifications_attempts_check: CHECK ((attempts >= 0))
constraint notifications.notifications_category_check: CHECK ((category = ANY (ARRAY['TRANSACTIONAL'::text, 'REMINDER'::text])))
constraint notifications.notifications_channel_check: CHECK ((channel = ANY (ARRAY['EMAIL'::text, 'SMS'::text])))
constraint notifications.notifications_establishment_id_fkey: FOREIGN KEY (establishment_id) REFERENCES establishments(id)
constraint notifications.notifications_lease: CHECK (((status = 'SENDING'::text) = (lease_until IS NOT NULL)))
constraint notifications.notifications_pkey: PRIMARY KEY (id)
constraint notifications.notifications_recipient_id_fkey: FOREIGN KEY (recipient_id) REFERENCES notification_recipients(id)
constraint notifications.notifications_sent_at: CHECK (((status = 'SENT'::text) = (sent_at IS NOT NULL)))
constraint notifications.notifications_status_check: CHECK ((status = ANY (ARRAY['PENDING'::text, 'SENDING'::text, 'SENT'::text, 'FAILED'::text, 'CANCELLED'::text, 'DROPPED'::text])))
constraint oversight_assignments.oversight_assignments_agent_id_fkey: FOREIGN KEY (agent_id) REFERENCES agents(id) ON DELETE CASCADE
constraint oversight_assignments.oversight_assignments_direction: CHECK (((scope = 'NATIONAL'::text) = (direction IS NULL)))
constraint oversight_assignments.oversight_assignments_direction_check: CHECK ((direction = ANY (ARRAY['BORDEAUX'::text, 'DIJON'::text, 'LILLE'::text, 'LYON'::text, 'MARSEILLE'::text, 'PARIS'::text, 'RENNES'::text, 'STRASBOURG'::text, 'TOULOUSE'::text, 'OUTRE_MER'::text])))
constraint oversight_assignments.oversight_assignments_pkey: PRIMARY KEY (id)
constraint oversight_assignments.oversight_assignments_scope_check: CHECK ((scope = ANY (ARRAY['NATIONAL'::text, 'INTERREGIONAL'::text])))
constraint permit_claim_failures.permit_claim_failures_family_account_id_fkey: FOREIGN KEY (family_account_id) REFERENCES family_accounts(id)
constraint permit_claim_failures.permit_claim_failures_pkey: PRIMARY KEY (id)
constraint permit_documents.permit_documents_content_type_check: CHECK ((content_type = ANY (ARRAY['image/jpeg'::text, 'application/pdf'::text])))
constraint permit_documents.permit_documents_kind_check: CHECK ((kind = ANY (ARRAY['PHOTO'::text, 'ID_DOCUMENT'::text, 'PROOF_OF_ADDRESS'::text, 'LIVRET_FAMILLE'::text, 'PACS_PROOF'::text, 'COHABITATION_PROOF'::text, 'PARENTAL_CONSENT'::text, 'DOMICILIATION'::text, 'BIRTH_CERTIFICATE'::text, 'OTHER'::text])))
constraint permit_documents.permit_documents_pkey: PRIMARY KEY (id)
constraint permit_documents.permit_documents_request: CHECK (((request_id IS NOT NULL) OR (kind = 'PHOTO'::text)))
constraint permit_documents.permit_documents_request_id_fkey: FOREIGN KEY (request_id) REFERENCES permit_requests(id)
constraint permit_documents.permit_documents_review_check: CHECK ((review = ANY (ARRAY['PENDING'::text, 'ACCEPTED'::text, 'TO_REPLACE'::text])))
constraint permit_documents.permit_documents_size_bytes_check: CHECK ((size_bytes > 0))
constraint permit_documents.permit_documents_storage_key_key: UNIQUE (storage_key)
constraint permit_imports.permit_imports_created_by_fkey: FOREIGN KEY (created_by) REFERENCES agents(id)
constraint permit_imports.permit_imports_created_permits_check: CHECK ((created_permits >= 0))
constraint permit_imports.permit_imports_establishment_id_fkey: FOREIGN KEY (establishment_id) REFERENCES establishments(id)
constraint permit_imports.permit_imports_pkey: PRIMARY KEY (id)
constraint permit_imports.permit_imports_processed_rows_check: CHECK ((processed_rows >= 0))
constraint permit_imports.permit_imports_rejected_rows_check: CHECK ((rejected_rows >= 0))
constraint permit_imports.permit_imports_status_check: CHECK ((status = ANY (ARRAY['PREVIEW'::text, 'RUNNING'::text, 'DONE'::text, 'FAILED'::text, 'CANCELLED'::text])))
constraint permit_imports.permit_imports_total_rows_check: CHECK ((total_rows >= 0))
constraint permit_lookup_failures.permit_lookup_failures_family_account_id_fkey: FOREIGN KEY (family_account_id) REFERENCES family_accounts(id)
constraint permit_lookup_failures.permit_lookup_failures_pkey: PRIMARY KEY (id)
constraint permit_measures.permit_measures_answer: CHECK (((status = 'ANSWERED'::text) = (magistrate_answer IS NOT NULL)))
constraint permit_measures.permit_measures_decided_by_fkey: FOREIGN KEY (decided_by) REFERENCES agents(id)
constraint permit_measures.permit_measures_establishment_id_fkey: FOREIGN KEY (establishment_id) REFERENCES establishments(id)
constraint permit_measures.permit_measures_grounds_check: CHECK ((length(TRIM(BOTH FROM grounds)) >= 10))
constraint permit_measures.permit_measures_kind_check: CHECK ((kind = ANY (ARRAY['SUSPENSION'::text, 'WITHDRAWAL'::text, 'REFERRAL'::text])))
constraint permit_measures.permit_measures_kind_status: CHECK (((kind = 'REFERRAL'::text) = (status = ANY (ARRAY['REFERRED'::text, 'ANSWERED'::text]))))
constraint permit_measures.permit_measures_magistrate_answer_check: CHECK ((magistrate_answer = ANY (ARRAY['MAINTAINED'::text, 'SUSPENDED'::text, 'WITHDRAWN'::text])))
constraint permit_measures.permit_measures_permit_id_fkey: FOREIGN KEY (permit_id) REFERENCES permits(id)
constraint permit_measures.permit_measures_pkey: PRIMARY KEY (id)
constraint permit_measures.permit_measures_proposed_by_fkey: FOREIGN KEY (proposed_by) REFERENCES agents(id)
constraint permit_measures.permit_measures_status_check: CHECK ((status = ANY (ARRAY['PROPOSED'::text, 'ENACTED'::text, 'ABANDONED'::text, 'REFERRED'::text, 'ANSWERED'::text])))
constraint permit_request_events.permit_request_events_actor_type_check: CHECK ((actor_type = ANY (ARRAY['AGENT'::text, 'FAMILY'::text, 'SYSTEM'::text])))
constraint permit_request_events.permit_request_events_kind_check: CHECK ((kind = ANY (ARRAY['STATUS'::text, 'MESSAGE'::text, 'NOTE'::text])))
constraint permit_request_events.permit_request_events_pkey: PRIMARY KEY (id)
constraint permit_request_events.permit_request_events_request_id_fkey: FOREIGN KEY (request_id) REFERENCES permit_requests(id)
constraint permit_requests.permit_requests_comment_check: CHECK ((length(comment) <= 1000))
constraint permit_requests.permit_requests_decided_by_fkey: FOREIGN KEY (decided_by) REFERENCES agents(id)
constraint permit_requests.permit_requests_detainee_id_fkey: FOREIGN KEY (detainee_id) REFERENCES detainees(id)
constraint permit_requests.permit_requests_establishment_id_fkey: FOREIGN KEY (establishment_id) REFERENCES establishments(id)
constraint permit_requests.permit_requests_family_account_id_fkey: FOREIGN KEY (family_account_id) REFERENCES family_accounts(id)
constraint permit_requests.permit_requests_id_document_type_check: CHECK ((id_document_type = ANY (ARRAY['CNI'::text, 'PASSEPORT'::text, 'TITRE_SEJOUR'::text, 'PERMIS_CONDUIRE'::text, 'AUTRE'::text, 'LIVRET_FAMILLE'::text, 'ACTE_NAISSANCE'::text])))
constraint permit_requests.permit_requests_litigation: CHECK (((litigation_hold_since IS NULL) OR (COALESCE(length(TRIM(BOTH FROM litigation_note)), 0) > 0)))
constraint permit_requests.permit_requests_pkey: PRIMARY KEY (id)
constraint permit_requests.permit_requests_reference: CHECK (((status = 'DRAFT'::text) = (reference IS NULL)))
constraint permit_requests.permit_requests_reference_key: UNIQUE (reference)
constraint permit_requests.permit_requests_refusal_ground_check: CHECK ((refusal_ground = ANY (ARRAY['GOOD_ORDER'::text, 'SECURITY'::text, 'CRIME_PREVENTION'::text, 'REHABILITATION'::text, 'VICTIM'::text, 'NO_CONTACT_ORDER'::text])))
constraint permit_requests.permit_requests_refusal_motivated: CHECK (((status <> 'REFUSED'::text) OR (length(TRIM(BOTH FROM decision_motivation)) >= 20)))
constraint permit_requests.permit_requests_relationship_check: CHECK ((relationship = ANY (ARRAY['ASCENDANT'::text, 'DESCENDANT'::text, 'SIBLING'::text, 'SPOUSE'::text, 'PACS_PARTNER'::text, 'COHABITANT'::text, 'FAMILY_PROJECT'::text, 'FRIEND'::text, 'OTHER'::text])))
constraint permit_requests.permit_requests_status_check: CHECK ((status = ANY (ARRAY['DRAFT'::text, 'SUBMITTED'::text, 'INCOMPLETE'::text, 'READY'::text, 'GRANTED'::text, 'REFUSED'::text, 'IMPLICITLY_REJECTED'::text, 'WITHDRAWN'::text])))
constraint permit_requests.permit_requests_step_check: CHECK (((step >= 1) AND (step <= 9)))
constraint permit_requests.permit_requests_withdrawn: CHECK (((status = 'WITHDRAWN'::text) = (withdrawn_at IS NOT NULL)))
constraint permits.permits_allowed_days_check: CHECK (((allowed_days <@ ARRAY[(1)::smallint, (2)::smallint, (3)::smallint, (4)::smallint, (5)::smallint, (6)::smallint, (7)::smallint]) AND (cardinality(allowed_days) > 0)))
constraint permits.permits_allowed_hours: CHECK ((((allowed_from IS NULL) = (allowed_to IS NULL)) AND ((allowed_from IS NULL) OR (allowed_from < allowed_to))))
constraint permits.permits_claim_code_check: CHECK (((claim_code)::text ~ '^[A-HJ-NP-Z2-9]{12}$'::text))
constraint permits.permits_claim_code_key: UNIQUE (claim_code)
constraint permits.permits_conditions_note_check: CHECK ((length(conditions_note) <= 500))
constraint permits.permits_detainee_id_fkey: FOREIGN KEY (detainee_id) REFERENCES detainees(id)
constraint permits.permits_establishment_id_fkey: FOREIGN KEY (establishment_id) REFERENCES establishments(id)
constraint permits.permits_family_account_id_fkey: FOREIGN KEY (family_account_id) REFERENCES family_accounts(id)
constraint permits.permits_import_id_fkey: FOREIGN KEY (import_id) REFERENCES permit_imports(id)
constraint permits.permits_max_visits_check: CHECK ((max_visits > 0))
constraint permits.permits_origin_check: CHECK ((origin = ANY (ARRAY['ONLINE'::text, 'PAPER'::text, 'MAGISTRATE'::text])))
constraint permits.permits_photo_document_id_fkey: FOREIGN KEY (photo_document_id) REFERENCES permit_documents(id)
constraint permits.permits_pkey: PRIMARY KEY (id)
constraint permits.permits_request_id_fkey: FOREIGN KEY (request_id) REFERENCES permit_requests(id)
constraint permits.permits_request_id_key: UNIQUE (request_id)
constraint permits.permits_room_condition_check: CHECK ((room_condition = ANY (ARRAY['SEPARATION'::text, 'ACCESSIBLE'::text])))
constraint permits.permits_status_check: CHECK ((status = ANY (ARRAY['ACTIVE'::text, 'ON_HOLD'::text, 'SUSPENDED'::text, 'WITHDRAWN'::text])))
constraint permits.permits_status_reason: CHECK (((status = 'ACTIVE'::text) OR (length(TRIM(BOTH FROM status_reason)) > 0)))
constraint permits.permits_unaccompanied_consent_by_fkey: FOREIGN KEY (unaccompanied_consent_by) REFERENCES agents(id)
constraint permits.permits_unaccompanied_consent_cleared: CHECK (((unaccompanied_consent_at IS NOT NULL) OR ((unaccompanied_consent_document_id IS NULL) AND (unaccompanied_consent_note IS NULL) AND (unaccompanied_consent_by IS NULL))))
constraint permits.permits_unaccompanied_consent_document: CHECK (((unaccompanied_consent_at IS NULL) OR (unaccompanied_consent_document_id IS NOT NULL) OR (length(TRIM(BOTH FROM COALESCE(unaccompanied_consent_note, ''::text))) > 0)))
constraint permits.permits_unaccompanied_consent_document_id_fkey: FOREIGN KEY (unaccompanied_consent_document_id) REFERENCES permit_documents(id)
constraint permits.permits_validity: CHECK (((valid_to IS NULL) OR (valid_to >= valid_from)))
constraint phone_accounts.phone_accounts_balance_cents_check: CHECK ((balance_cents >= 0))
constraint phone_accounts.phone_accounts_blocked_cents_check: CHECK ((blocked_cents >= 0))
constraint phone_accounts.phone_accounts_blocked_within_balance: CHECK ((blocked_cents <= balance_cents))
constraint phone_accounts.phone_accounts_detainee_id_fkey: FOREIGN KEY (detainee_id) REFERENCES detainees(id)
constraint phone_accounts.phone_accounts_pkey: PRIMARY KEY (detainee_id)
constraint phone_accounts.phone_accounts_plan_code_check: CHECK ((plan_code ~ '^(NONE|[1-9][0-9]{0,3})$'::text))
constraint rate_limit_hits.rate_limit_hits_hits_check: CHECK ((hits >= 0))
constraint rate_limit_hits.rate_limit_hits_pkey: PRIMARY KEY (key, window_start)
constraint role_assignments.role_assignments_agent_id_fkey: FOREIGN KEY (agent_id) REFERENCES agents(id) ON DELETE CASCADE
constraint role_assignments.role_assignments_establishment_id_fkey: FOREIGN KEY (establishment_id) REFERENCES establishments(id)
constraint role_assignments.role_assignments_granted_by_fkey: FOREIGN KEY (granted_by) REFERENCES agents(id)
constraint role_assignments.role_assignments_pkey: PRIMARY KEY (id)
constraint role_assignments.role_assignments_role_check: CHECK ((role = ANY (ARRAY['PERMITS_OFFICER'::text, 'PARLOIR_AGENT'::text, 'SPIP_COUNSELLOR'::text, 'HEAD_OF_ESTABLISHMENT'::text, 'ACTIVITIES_OFFICER'::text, 'ADMIN'::text])))
constraint role_assignments.role_assignments_unique: UNIQUE (agent_id, establishment_id, role)
constraint sanctioned_numbers.sanctioned_numbers_decided_by_fkey: FOREIGN KEY (decided_by) REFERENCES agents(id)
constraint sanctioned_numbers.sanctioned_numbers_establishment_id_fkey: FOREIGN KEY (establishment_id) REFERENCES establishments(id)
constraint sanctioned_numbers.sanctioned_numbers_lift: CHECK ((((lifted_at IS NULL) AND (lifted_by IS NULL) AND (lift_motivation IS NULL)) OR ((lifted_at IS NOT NULL) AND (lifted_by IS NOT NULL) AND (lift_motivation IS NOT NULL) AND (length(TRIM(BOTH FROM lift_motivation)) > 0) AND (lifted_at >= decided_at) AND ((until IS NULL) OR (lifted_at < until)))))
constraint sanctioned_numbers.sanctioned_numbers_lifted_by_fkey: FOREIGN KEY (lifted_by) REFERENCES agents(id)
constraint sanctioned_numbers.sanctioned_numbers_motivation_check: CHECK ((length(TRIM(BOTH FROM motivation)) > 0))
constraint sanctioned_numbers.sanctioned_numbers_phone_check: CHECK ((phone ~ '^\+[1-9][0-9]{6,14}$'::text))
constraint sanctioned_numbers.sanctioned_numbers_pkey: PRIMARY KEY (id)
constraint sanctioned_numbers.sanctioned_numbers_until: CHECK (((until IS NULL) OR (until > decided_at)))
constraint session.session_pkey: PRIMARY KEY (sid)
constraint signature_delegations.signature_delegations_agent_id_fkey: FOREIGN KEY (agent_id) REFERENCES agents(id)
constraint signature_delegations.signature_delegations_created_by_fkey: FOREIGN KEY (created_by) REFERENCES agents(id)
constraint signature_delegations.signature_delegations_dates: CHECK (((valid_to IS NULL) OR (valid_to >= valid_from)))
constraint signature_delegations.signature_delegations_establishment_id_fkey: FOREIGN KEY (establishment_id) REFERENCES establishments(id)
constraint signature_delegations.signature_delegations_pkey: PRIMARY KEY (id)
constraint slot_templates.slot_templates_capacity_check: CHECK ((capacity > 0))
constraint slot_templates.slot_templates_day_of_week_check: CHECK (((day_of_week >= 1) AND (day_of_week <= 7)))
constraint slot_templates.slot_templates_pkey: PRIMARY KEY (id)
constraint slot_templates.slot_templates_room_id_fkey: FOREIGN KEY (room_id) REFERENCES visiting_rooms(id)
constraint slot_templates.slot_templates_times: CHECK ((end_time > start_time))
constraint slot_templates.slot_templates_validity: CHECK (((valid_to IS NULL) OR (valid_to >= valid_from)))
constraint video_call_access.video_call_access_decided_by_fkey: FOREIGN KEY (decided_by) REFERENCES agents(id)
constraint video_call_access.video_call_access_detainee_id_fkey: FOREIGN KEY (detainee_id) REFERENCES detainees(id)
constraint video_call_access.video_call_access_motivated: CHECK (((status = 'ACTIVE'::text) OR (COALESCE(length(TRIM(BOTH FROM motivation)), 0) > 0)))
constraint video_call_access.video_call_access_pkey: PRIMARY KEY (id)
constraint video_call_access.video_call_access_status_check: CHECK ((status = ANY (ARRAY['ACTIVE'::text, 'REFUSED'::text, 'SUSPENDED'::text, 'WITHDRAWN'::text])))
constraint video_call_access.video_call_access_until: CHECK (((status = 'SUSPENDED'::text) = (suspended_until IS NOT NULL)))
constraint video_call_bookings.video_call_bookings_blocked_cents_check: CHECK ((blocked_cents >= 0))
constraint video_call_bookings.video_call_bookings_booked_by_fkey: FOREIGN KEY (booked_by) REFERENCES agents(id)
constraint video_call_bookings.video_call_bookings_cancelled: CHECK ((((status = 'CANCELLED'::text) = (cancelled_at IS NOT NULL)) AND ((status = 'CANCELLED'::text) = (COALESCE(length(TRIM(BOTH FROM cancel_reason)), 0) > 0))))
constraint video_call_bookings.video_call_bookings_cancelled_by_fkey: FOREIGN KEY (cancelled_by) REFERENCES agents(id)
constraint video_call_bookings.video_call_bookings_cents_per_minute_check: CHECK ((cents_per_minute >= 0))
constraint video_call_bookings.video_call_bookings_charge_within_blocked: CHECK (((charged_cents IS NULL) OR (charged_cents <= blocked_cents)))
constraint video_call_bookings.video_call_bookings_charged_cents_check: CHECK ((charged_cents >= 0))
constraint video_call_bookings.video_call_bookings_connection_cents_check: CHECK ((connection_cents >= 0))
constraint video_call_bookings.video_call_bookings_contact_owner_fk: FOREIGN KEY (contact_id, detainee_id) REFERENCES detainee_phone_contacts(id, detainee_id)
constraint video_call_bookings.video_call_bookings_detainee_id_fkey: FOREIGN KEY (detainee_id) REFERENCES detainees(id)
constraint video_call_bookings.video_call_bookings_detainee_no_overlap: EXCLUDE USING gist (detainee_id WITH =, slot WITH &&) WHERE ((status <> 'CANCELLED'::text))
constraint video_call_bookings.video_call_bookings_device_fk: FOREIGN KEY (device_id, establishment_id) REFERENCES video_call_devices(id, establishment_id)
constraint video_call_bookings.video_call_bookings_device_no_overlap: EXCLUDE USING gist (device_id WITH =, slot WITH &&) WHERE ((status <> 'CANCELLED'::text))
constraint video_call_bookings.video_call_bookings_duration_seconds_check: CHECK ((duration_seconds >= 0))
constraint video_call_bookings.video_call_bookings_establishment_id_fkey: FOREIGN KEY (establishment_id) REFERENCES establishments(id)
constraint video_call_bookings.video_call_bookings_held: CHECK ((((status = 'HELD'::text) = (duration_seconds IS NOT NULL)) AND ((status = 'HELD'::text) = (charged_cents IS NOT NULL))))
constraint video_call_bookings.video_call_bookings_pkey: PRIMARY KEY (id)
constraint video_call_bookings.video_call_bookings_slot_check: CHECK (((NOT isempty(slot)) AND lower_inc(slot) AND (NOT upper_inc(slot)) AND (NOT lower_inf(slot)) AND (NOT upper_inf(slot))))
constraint video_call_bookings.video_call_bookings_status_check: CHECK ((status = ANY (ARRAY['BOOKED'::text, 'HELD'::text, 'CANCELLED'::text, 'NO_SHOW'::text])))
constraint video_call_charters.video_call_charters_detainee_id_fkey: FOREIGN KEY (detainee_id) REFERENCES detainees(id)
constraint video_call_charters.video_call_charters_pkey: PRIMARY KEY (id)
constraint video_call_charters.video_call_charters_recorded_by_fkey: FOREIGN KEY (recorded_by) REFERENCES agents(id)
constraint video_call_charters.video_call_charters_scan_storage_key_check: CHECK ((length(scan_storage_key) > 0))
constraint video_call_codes.video_call_codes_booking_id_fkey: FOREIGN KEY (booking_id) REFERENCES video_call_bookings(id)
constraint video_call_codes.video_call_codes_code_hash_check: CHECK ((length(code_hash) >= 32))
constraint video_call_codes.video_call_codes_failed_attempts_check: CHECK (((failed_attempts >= 0) AND (failed_attempts <= 5)))
constraint video_call_codes.video_call_codes_pkey: PRIMARY KEY (id)
constraint video_call_devices.video_call_devices_establishment_id_fkey: FOREIGN KEY (establishment_id) REFERENCES establishments(id)
constraint video_call_devices.video_call_devices_establishment_unique: UNIQUE (id, establishment_id)
constraint video_call_devices.video_call_devices_name_check: CHECK (((length(TRIM(BOTH FROM name)) >= 1) AND (length(TRIM(BOTH FROM name)) <= 100)))
constraint video_call_devices.video_call_devices_pkey: PRIMARY KEY (id)
constraint video_call_settings.video_call_settings_changed_by_fkey: FOREIGN KEY (changed_by) REFERENCES agents(id)
constraint video_call_settings.video_call_settings_establishment_id_fkey: FOREIGN KEY (establishment_id) REFERENCES establishments(id)
constraint video_call_settings.video_call_settings_pkey: PRIMARY KEY (id)
constraint video_call_settings.video_call_settings_settings_check: CHECK ((jsonb_typeof(settings) = 'object'::text))
constraint video_call_settings.video_call_settings_version_check: CHECK ((version > 0))
constraint video_call_settings.video_call_settings_version_unique: UNIQUE (establishment_id, version)
constraint visit_imports.visit_imports_establishment_id_fkey: FOREIGN KEY (establishment_id) REFERENCES establishments(id)
constraint visit_imports.visit_imports_imported_by_fkey: FOREIGN KEY (imported_by) REFERENCES agents(id)
constraint visit_imports.visit_imports_pkey: PRIMARY KEY (id)
constraint visit_incidents.visit_incidents_establishment_id_fkey: FOREIGN KEY (establishment_id) REFERENCES establishments(id)
constraint visit_incidents.visit_incidents_pkey: PRIMARY KEY (id)
constraint visit_incidents.visit_incidents_reason_check: CHECK ((reason = ANY (ARRAY['BEHAVIOUR'::text, 'FORBIDDEN_ITEM'::text, 'VIOLENCE'::text, 'RULES'::text, 'REQUEST'::text, 'HEALTH'::text, 'OTHER'::text])))
constraint visit_incidents.visit_incidents_report_check: CHECK ((char_length(btrim(report)) >= 20))
constraint visit_incidents.visit_incidents_visit_id_fkey: FOREIGN KEY (visit_id) REFERENCES visits(id)
constraint visit_incidents.visit_incidents_visitor_id_fkey: FOREIGN KEY (visitor_id) REFERENCES visit_visitors(id)
constraint visit_incidents.visit_incidents_written_by_fkey: FOREIGN KEY (written_by) REFERENCES agents(id)
constraint visit_restrictions.visit_restrictions_cause: CHECK (((kind = 'PREVENTED'::text) = (cause IS NOT NULL)))
constraint visit_restrictions.visit_restrictions_cause_check: CHECK ((cause = ANY (ARRAY['HOSPITAL'::text, 'COURT'::text, 'TRANSFER'::text, 'OTHER'::text])))
constraint visit_restrictions.visit_restrictions_created_by_fkey: FOREIGN KEY (created_by) REFERENCES agents(id)
constraint visit_restrictions.visit_restrictions_detainee_id_fkey: FOREIGN KEY (detainee_id) REFERENCES detainees(id)
constraint visit_restrictions.visit_restrictions_ended: CHECK ((((ended_early_at IS NULL) = (ended_by IS NULL)) AND ((ended_early_at IS NULL) OR ((ended_early_at >= starts_at) AND (ended_early_at < ends_at)))))
constraint visit_restrictions.visit_restrictions_ended_by_fkey: FOREIGN KEY (ended_by) REFERENCES agents(id)
constraint visit_restrictions.visit_restrictions_establishment_id_fkey: FOREIGN KEY (establishment_id) REFERENCES establishments(id)
constraint visit_restrictions.visit_restrictions_kind_check: CHECK ((kind = ANY (ARRAY['PREVENTED'::text, 'DISCIPLINARY'::text])))
constraint visit_restrictions.visit_restrictions_no_overlap: EXCLUDE USING gist (detainee_id WITH =, kind WITH =, tstzrange(starts_at, COALESCE(ended_early_at, ends_at)) WITH &&)
constraint visit_restrictions.visit_restrictions_period: CHECK ((ends_at > starts_at))
constraint visit_restrictions.visit_restrictions_pkey: PRIMARY KEY (id)
constraint visit_settings.visit_settings_cancel_deadline_hours_check: CHECK (((cancel_deadline_hours >= 0) AND (cancel_deadline_hours <= 720)))
constraint visit_settings.visit_settings_establishment_id_fkey: FOREIGN KEY (establishment_id) REFERENCES establishments(id)
constraint visit_settings.visit_settings_horizon_days_check: CHECK (((horizon_days >= 1) AND (horizon_days <= 180)))
constraint visit_settings.visit_settings_max_adults_check: CHECK (((max_adults >= 1) AND (max_adults <= 10)))
constraint visit_settings.visit_settings_max_children_check: CHECK (((max_children >= 0) AND (max_children <= 10)))
constraint visit_settings.visit_settings_min_notice_hours_check: CHECK (((min_notice_hours >= 0) AND (min_notice_hours <= 720)))
constraint visit_settings.visit_settings_pkey: PRIMARY KEY (establishment_id)
constraint visit_settings.visit_settings_waitlist_offer_hours_check: CHECK (((waitlist_offer_hours >= 1) AND (waitlist_offer_hours <= 72)))
constraint visit_settings.visit_settings_weekly_condamne_check: CHECK ((weekly_condamne >= 1))
constraint visit_settings.visit_settings_weekly_prevenu_check: CHECK ((weekly_prevenu >= 3))
constraint visit_slots.visit_slots_capacity: CHECK (((booked >= 0) AND (held >= 0) AND ((booked + held) <= capacity)))
constraint visit_slots.visit_slots_capacity_check: CHECK ((capacity > 0))
constraint visit_slots.visit_slots_pkey: PRIMARY KEY (id)
constraint visit_slots.visit_slots_room_id_fkey: FOREIGN KEY (room_id) REFERENCES visiting_rooms(id)
constraint visit_slots.visit_slots_template_id_fkey: FOREIGN KEY (template_id) REFERENCES slot_templates(id)
constraint visit_slots.visit_slots_times: CHECK ((ends_at > starts_at))
constraint visit_slots.visit_slots_unique: UNIQUE (room_id, starts_at)
constraint visit_visitors.visit_visitors_check_status_check: CHECK ((check_status = ANY (ARRAY['ARRIVED'::text, 'ABSENT'::text, 'REFUSED'::text])))
constraint visit_visitors.visit_visitors_checked: CHECK (((check_status IS NULL) = (checked_at IS NULL)))
constraint visit_visitors.visit_visitors_checked_by_fkey: FOREIGN KEY (checked_by) REFERENCES agents(id)
constraint visit_visitors.visit_visitors_identity: CHECK (((permit_id IS NOT NULL) OR ((given_name IS NOT NULL) AND (family_name IS NOT NULL))))
constraint visit_visitors.visit_visitors_no_overlap: EXCLUDE USING gist (permit_id WITH =, during WITH &&) WHERE (active)
constraint visit_visitors.visit_visitors_permit_id_fkey: FOREIGN KEY (permit_id) REFERENCES permits(id)
constraint visit_visitors.visit_visitors_permit_unique: UNIQUE (visit_id, permit_id)
constraint visit_visitors.visit_visitors_pkey: PRIMARY KEY (id)
constraint visit_visitors.visit_visitors_refusal: CHECK (((NOT (check_status IS DISTINCT FROM 'REFUSED'::text)) = (refusal_reason IS NOT NULL)))
constraint visit_visitors.visit_visitors_refusal_reason_check: CHECK ((refusal_reason = ANY (ARRAY['NO_ID'::text, 'ID_MISMATCH'::text, 'PERMIT_SUSPENDED'::text, 'PERMIT_INVALID'::text, 'LATE'::text, 'SECURITY'::text])))
constraint visit_visitors.visit_visitors_visit_id_fkey: FOREIGN KEY (visit_id) REFERENCES visits(id)
constraint visit_waitlist.visit_waitlist_detainee_id_fkey: FOREIGN KEY (detainee_id) REFERENCES detainees(id)
constraint visit_waitlist.visit_waitlist_establishment_id_fkey: FOREIGN KEY (establishment_id) REFERENCES establishments(id)
constraint visit_waitlist.visit_waitlist_family_account_id_fkey: FOREIGN KEY (family_account_id) REFERENCES family_accounts(id)
constraint visit_waitlist.visit_waitlist_offer: CHECK (((status <> 'OFFERED'::text) OR (offer_expires_at IS NOT NULL)))
constraint visit_waitlist.visit_waitlist_permit_ids_check: CHECK ((cardinality(permit_ids) > 0))
constraint visit_waitlist.visit_waitlist_pkey: PRIMARY KEY (id)
constraint visit_waitlist.visit_waitlist_status_check: CHECK ((status = ANY (ARRAY['WAITING'::text, 'OFFERED'::text, 'BOOKED'::text, 'EXPIRED'::text, 'DECLINED'::text, 'LEFT'::text])))
constraint visit_waitlist.visit_waitlist_template_id_fkey: FOREIGN KEY (template_id) REFERENCES slot_templates(id)
constraint visit_waitlist.visit_waitlist_visit_id_fkey: FOREIGN KEY (visit_id) REFERENCES visits(id)
constraint visiting_rooms.visiting_rooms_cabins_check: CHECK ((cabins > 0))
constraint visiting_rooms.visiting_rooms_establishment_id_fkey: FOREIGN KEY (establishment_id) REFERENCES establishments(id)
constraint visiting_rooms.visiting_rooms_kind_check: CHECK ((kind = ANY (ARRAY['ORDINARY'::text, 'SEPARATION'::text, 'ACCESSIBLE'::text])))
constraint visiting_rooms.visiting_rooms_name_unique: UNIQUE (establishment_id, name)
constraint visiting_rooms.visiting_rooms_pkey: PRIMARY KEY (id)
constraint visits.visits_appointment_id_fkey: FOREIGN KEY (appointment_id) REFERENCES appointments(id)
constraint visits.visits_booked_by_agent_fkey: FOREIGN KEY (booked_by_agent) REFERENCES agents(id)
constraint visits.visits_channel_check: CHECK ((channel = ANY (ARRAY['ONLINE'::text, 'PHONE'::text, 'IN_PERSON'::text, 'GENESIS'::text])))
constraint visits.visits_detainee_id_fkey: FOREIGN KEY (detainee_id) REFERENCES detainees(id)
constraint visits.visits_detainee_no_overlap: EXCLUDE USING gist (detainee_id WITH =, during WITH &&) WHERE ((status <> 'CANCELLED'::text))
constraint visits.visits_establishment_id_fkey: FOREIGN KEY (establishment_id) REFERENCES establishments(id)
constraint visits.visits_family_account_id_fkey: FOREIGN KEY (family_account_id) REFERENCES family_accounts(id)
constraint visits.visits_idempotency: UNIQUE (family_account_id, idempotency_key)
constraint visits.visits_import_id_fkey: FOREIGN KEY (import_id) REFERENCES visit_imports(id)
constraint visits.visits_pkey: PRIMARY KEY (id)
constraint visits.visits_reference_key: UNIQUE (reference)
constraint visits.visits_slot_id_fkey: FOREIGN KEY (slot_id) REFERENCES visit_slots(id)
constraint visits.visits_status_check: CHECK ((status = ANY (ARRAY['BOOKED'::text, 'CANCELLED'::text, 'IN_PROGRESS'::text, 'DONE'::text, 'NO_SHOW'::text, 'REFUSED'::text])))
index CREATE UNIQUE INDEX agents_email_key ON public.agents USING btree (email)
index CREATE UNIQUE INDEX agents_oidc_subject_key ON public.agents USING btree (oidc_subject)
index CREATE UNIQUE INDEX agents_pkey ON public.agents USING btree (id)
index CREATE INDEX appointments_family_idx ON public.appointments USING btree (family_account_id, starts_at)
index CREATE UNIQUE INDEX appointments_pkey ON public.appointments USING btree (id)
index CREATE UNIQUE INDEX appointments_reference_key ON public.appointments USING btree (reference)
index CREATE INDEX audit_log_entity_idx ON public.audit_log USING btree (entity_type, entity_id)
index CREATE UNIQUE INDEX audit_log_hash_key ON public.audit_log USING btree (hash)
index CREATE UNIQUE INDEX audit_log_pkey ON public.audit_log USING btree (id)
index CREATE INDEX closures_day_idx ON public.closures USING btree (establishment_id, day)
index CREATE UNIQUE INDEX closures_pkey ON public.closures USING btree (id)
index CREATE UNIQUE INDEX demo_inbox_pkey ON public.demo_inbox USING btree (id)
index CREATE INDEX detainee_import_previews_establishment ON public.detainee_import_previews USING btree (establishment_id, created_at)
index CREATE UNIQUE INDEX detainee_import_previews_pkey ON public.detainee_import_previews USING btree (id)
index CREATE UNIQUE INDEX detainee_phone_contacts_detainee_unique ON public.detainee_phone_contacts USING btree (id, detainee_id)
index CREATE UNIQUE INDEX detainee_phone_contacts_phone_idx ON public.detainee_phone_contacts USING btree (detainee_id, phone) WHERE active
index CREATE UNIQUE INDEX detainee_phone_contacts_pkey ON public.detainee_phone_contacts USING btree (id)
index CREATE INDEX detainee_transfer_proposals_pending_idx ON public.detainee_transfer_proposals USING btree (detainee_id) WHERE (status = 'PENDING'::text)
index CREATE UNIQUE INDEX detainee_transfer_proposals_pkey ON public.detainee_transfer_proposals USING btree (id)
index CREATE UNIQUE INDEX detainee_transfer_proposals_unique ON public.detainee_transfer_proposals USING btree (detainee_id, to_establishment_id, new_ecrou)
index CREATE UNIQUE INDEX detainees_ecrou_unique ON public.detainees USING btree (establishment_id, ecrou_number)
index CREATE INDEX detainees_identity_idx ON public.detainees USING btree (lower(last_name), lower(first_name), birth_date)
index CREATE UNIQUE INDEX detainees_pkey ON public.detainees USING btree (id)
index CREATE UNIQUE INDEX establishment_info_pkey ON public.establishment_info USING btree (establishment_id)
index CREATE UNIQUE INDEX establishment_info_translations_pkey ON public.establishment_info_translations USING btree (establishment_id, language)
index CREATE INDEX establishment_month_stats_month_idx ON public.establishment_month_stats USING btree (month)
index CREATE UNIQUE INDEX establishment_month_stats_pkey ON public.establishment_month_stats USING btree (establishment_id, month)
index CREATE UNIQUE INDEX establishments_code_key ON public.establishments USING btree (code)
index CREATE INDEX establishments_direction_idx ON public.establishments USING btree (direction)
index CREATE UNIQUE INDEX establishments_pkey ON public.establishments USING btree (id)
index CREATE UNIQUE INDEX family_accounts_fc_subject_key ON public.family_accounts USING btree (fc_subject)
index CREATE UNIQUE INDEX family_accounts_pkey ON public.family_accounts USING btree (id)
index CREATE UNIQUE INDEX family_units_name_unique ON public.family_units USING btree (establishment_id, name)
index CREATE UNIQUE INDEX family_units_pkey ON public.family_units USING btree (id)
index CREATE INDEX family_visit_cases_detainee_idx ON public.family_visit_cases USING btree (detainee_id, created_at DESC)
index CREATE UNIQUE INDEX family_visit_cases_pkey ON public.family_visit_cases USING btree (id)
index CREATE INDEX family_visit_cases_queue_idx ON public.family_visit_cases USING btree (establishment_id, status, created_at)
index CREATE UNIQUE INDEX family_visit_cases_reference_key ON public.family_visit_cases USING btree (reference)
index CREATE UNIQUE INDEX family_visit_documents_pkey ON public.family_visit_documents USING btree (id)
index CREATE INDEX family_visit_documents_request_idx ON public.family_visit_documents USING btree (request_id)
index CREATE UNIQUE INDEX family_visit_documents_storage_key_key ON public.family_visit_documents USING btree (storage_key)
index CREATE INDEX family_visit_events_case_idx ON public.family_visit_events USING btree (case_id, at)
index CREATE UNIQUE INDEX family_visit_events_pkey ON public.family_visit_events USING btree (id)
index CREATE INDEX family_visit_events_request_idx ON public.family_visit_events USING btree (request_id) WHERE (request_id IS NOT NULL)
index CREATE UNIQUE INDEX family_visit_interviews_pkey ON public.family_visit_interviews USING btree (id)
index CREATE INDEX family_visit_interviews_request_idx ON public.family_visit_interviews USING btree (request_id, at)
index CREATE UNIQUE INDEX family_visit_juvenile_judge_opinions_pkey ON public.family_visit_juvenile_judge_opinions USING btree (request_id)
index CREATE INDEX family_visit_requests_by_permit_idx ON public.family_visit_requests USING btree (permit_id) WHERE (permit_id IS NOT NULL)
index CREATE INDEX family_visit_requests_case_idx ON public.family_visit_requests USING btree (case_id)
index CREATE UNIQUE INDEX family_visit_requests_detainee_idx ON public.family_visit_requests USING btree (case_id) WHERE (applicant = 'DETAINEE'::text)
index CREATE INDEX family_visit_requests_family_idx ON public.family_visit_requests USING btree (family_account_id) WHERE (family_account_id IS NOT NULL)
index CREATE UNIQUE INDEX family_visit_requests_permit_idx ON public.family_visit_requests USING btree (case_id, permit_id) WHERE (permit_id IS NOT NULL)
index CREATE UNIQUE INDEX family_visit_requests_pkey ON public.family_visit_requests USING btree (id)
index CREATE INDEX family_visit_requests_reused_authorisation_idx ON public.family_visit_requests USING btree (reused_authorisation_from) WHERE (reused_authorisation_from IS NOT NULL)
index CREATE UNIQUE INDEX family_visit_stay_events_pkey ON public.family_visit_stay_events USING btree (id)
index CREATE INDEX family_visit_stay_events_stay_idx ON public.family_visit_stay_events USING btree (stay_id, at)
index CREATE INDEX family_visit_stays_case_idx ON public.family_visit_stays USING btree (case_id)
index CREATE INDEX family_visit_stays_detainee_no_overlap ON public.family_visit_stays USING gist (detainee_id, during) WHERE (status <> 'CANCELLED'::text)
index CREATE INDEX family_visit_stays_no_overlap ON public.family_visit_stays USING gist (unit_id, during) WHERE (status <> 'CANCELLED'::text)
index CREATE UNIQUE INDEX family_visit_stays_pkey ON public.family_visit_stays USING btree (id)
index CREATE INDEX family_visit_stays_unit_idx ON public.family_visit_stays USING btree (unit_id, lower(during))
index CREATE INDEX letters_family_visit_case_idx ON public.letters USING btree (family_visit_case_id) WHERE (family_visit_case_id IS NOT NULL)
index CREATE INDEX permit_letters_family_idx ON public.letters USING btree (family_account_id, issued_at DESC) WHERE (family_account_id IS NOT NULL)
index CREATE INDEX permit_letters_permit_idx ON public.letters USING btree (permit_id) WHERE (permit_id IS NOT NULL)
index CREATE UNIQUE INDEX permit_letters_pkey ON public.letters USING btree (id)
index CREATE INDEX permit_letters_request_idx ON public.letters USING btree (request_id) WHERE (request_id IS NOT NULL)
index CREATE UNIQUE INDEX "PK_8c82d7f526340ab734260ea46be" ON public.migrations USING btree (id)
index CREATE INDEX no_contact_orders_detainee_idx ON public.no_contact_orders USING btree (detainee_id)
index CREATE UNIQUE INDEX no_contact_orders_pkey ON public.no_contact_orders USING btree (id)
index CREATE INDEX notification_attempts_finished_idx ON public.notification_attempts USING btree (finished_at)
index CREATE UNIQUE INDEX notification_attempts_pkey ON public.notification_attempts USING btree (id)
index CREATE UNIQUE INDEX notification_attempts_unique ON public.notification_attempts USING btree (notification_id, attempt)
index CREATE UNIQUE INDEX notification_recipients_address_unique ON public.notification_recipients USING btree (channel, address)
index CREATE UNIQUE INDEX notification_recipients_optout_token_key ON public.notification_recipients USING btree (optout_token)
index CREATE UNIQUE INDEX notification_recipients_pkey ON public.notification_recipients USING btree (id)
index CREATE INDEX notifications_due_idx ON public.notifications USING btree (next_attempt_at) WHERE (status = ANY (ARRAY['PENDING'::text, 'SENDING'::text]))
index CREATE INDEX notifications_entity_idx ON public.notifications USING btree (entity_type, entity_id)
index CREATE INDEX notifications_establishment_idx ON public.notifications USING btree (establishment_id, created_at DESC)
index CREATE INDEX notifications_finished_idx ON public.notifications USING btree (COALESCE(sent_at, updated_at)) WHERE (status = ANY (ARRAY['SENT'::text, 'FAILED'::text, 'CANCELLED'::text, 'DROPPED'::text]))
index CREATE UNIQUE INDEX notifications_pkey ON public.notifications USING btree (id)
index CREATE UNIQUE INDEX oversight_assignments_pkey ON public.oversight_assignments USING btree (id)
index CREATE UNIQUE INDEX oversight_assignments_unique ON public.oversight_assignments USING btree (agent_id, scope, COALESCE(direction, ''::text))
index CREATE INDEX permit_claim_failures_idx ON public.permit_claim_failures USING btree (family_account_id, at)
index CREATE UNIQUE INDEX permit_claim_failures_pkey ON public.permit_claim_failures USING btree (id)
index CREATE UNIQUE INDEX permit_documents_current_idx ON public.permit_documents USING btree (request_id, kind) WHERE (current AND (kind = ANY (ARRAY['PHOTO'::text, 'ID_DOCUMENT'::text, 'PROOF_OF_ADDRESS'::text])))
index CREATE UNIQUE INDEX permit_documents_pkey ON public.permit_documents USING btree (id)
index CREATE INDEX permit_documents_request_idx ON public.permit_documents USING btree (request_id) WHERE (request_id IS NOT NULL)
index CREATE UNIQUE INDEX permit_documents_storage_key_key ON public.permit_documents USING btree (storage_key)
index CREATE INDEX permit_imports_establishment_idx ON public.permit_imports USING btree (establishment_id, created_at DESC)
index CREATE UNIQUE INDEX permit_imports_pkey ON public.permit_imports USING btree (id)
index CREATE INDEX permit_lookup_failures_idx ON public.permit_lookup_failures USING btree (family_account_id, at)
index CREATE UNIQUE INDEX permit_lookup_failures_pkey ON public.permit_lookup_failures USING btree (id)
index CREATE UNIQUE INDEX permit_measures_one_open_idx ON public.permit_measures USING btree (permit_id) WHERE (status = ANY (ARRAY['PROPOSED'::text, 'REFERRED'::text]))
index CREATE INDEX permit_measures_permit_idx ON public.permit_measures USING btree (permit_id, proposed_at DESC)
index CREATE UNIQUE INDEX permit_measures_pkey ON public.permit_measures USING btree (id)
index CREATE UNIQUE INDEX permit_request_events_pkey ON public.permit_request_events USING btree (id)
index CREATE INDEX permit_request_events_request_idx ON public.permit_request_events USING btree (request_id, at)
index CREATE INDEX permit_requests_family_idx ON public.permit_requests USING btree (family_account_id, created_at DESC)
index CREATE UNIQUE INDEX permit_requests_one_empty_draft ON public.permit_requests USING btree (family_account_id) WHERE ((status = 'DRAFT'::text) AND (detainee_id IS NULL))
index CREATE UNIQUE INDEX permit_requests_pkey ON public.permit_requests USING btree (id)
index CREATE INDEX permit_requests_queue_idx ON public.permit_requests USING btree (establishment_id, status, submitted_at)
index CREATE UNIQUE INDEX permit_requests_reference_key ON public.permit_requests USING btree (reference)
index CREATE UNIQUE INDEX permits_claim_code_key ON public.permits USING btree (claim_code)
index CREATE INDEX permits_detainee_idx ON public.permits USING btree (detainee_id, status)
index CREATE INDEX permits_family_idx ON public.permits USING btree (family_account_id) WHERE (family_account_id IS NOT NULL)
index CREATE UNIQUE INDEX permits_pkey ON public.permits USING btree (id)
index CREATE INDEX permits_register_idx ON public.permits USING btree (establishment_id, created_at DESC)
index CREATE UNIQUE INDEX permits_request_id_key ON public.permits USING btree (request_id)
index CREATE UNIQUE INDEX phone_accounts_pkey ON public.phone_accounts USING btree (detainee_id)
index CREATE UNIQUE INDEX rate_limit_hits_pkey ON public.rate_limit_hits USING btree (key, window_start)
index CREATE INDEX rate_limit_hits_window_start ON public.rate_limit_hits USING btree (window_start)
index CREATE INDEX role_assignments_establishment_idx ON public.role_assignments USING btree (establishment_id)
index CREATE UNIQUE INDEX role_assignments_pkey ON public.role_assignments USING btree (id)
index CREATE UNIQUE INDEX role_assignments_unique ON public.role_assignments USING btree (agent_id, establishment_id, role)
index CREATE INDEX sanctioned_numbers_phone_idx ON public.sanctioned_numbers USING btree (establishment_id, phone)
index CREATE UNIQUE INDEX sanctioned_numbers_pkey ON public.sanctioned_numbers USING btree (id)
index CREATE INDEX session_expire_idx ON public.session USING btree (expire)
index CREATE UNIQUE INDEX session_pkey ON public.session USING btree (sid)
index CREATE INDEX signature_delegations_agent_idx ON public.signature_delegations USING btree (establishment_id, agent_id)
index CREATE UNIQUE INDEX signature_delegations_pkey ON public.signature_delegations USING btree (id)
index CREATE UNIQUE INDEX slot_templates_pkey ON public.slot_templates USING btree (id)
index CREATE INDEX video_call_access_detainee_idx ON public.video_call_access USING btree (detainee_id, decided_at)
index CREATE UNIQUE INDEX video_call_access_pkey ON public.video_call_access USING btree (id)
index CREATE INDEX video_call_bookings_contact_idx ON public.video_call_bookings USING btree (contact_id)
index CREATE INDEX video_call_bookings_day_idx ON public.video_call_bookings USING btree (establishment_id, lower(slot))
index CREATE INDEX video_call_bookings_detainee_no_overlap ON public.video_call_bookings USING gist (detainee_id, slot) WHERE (status <> 'CANCELLED'::text)
index CREATE INDEX video_call_bookings_device_no_overlap ON public.video_call_bookings USING gist (device_id, slot) WHERE (status <> 'CANCELLED'::text)
index CREATE UNIQUE INDEX video_call_bookings_pkey ON public.video_call_bookings USING btree (id)
index CREATE INDEX video_call_charters_detainee_idx ON public.video_call_charters USING btree (detainee_id, signed_on)
index CREATE UNIQUE INDEX video_call_charters_pkey ON public.video_call_charters USING btree (id)
index CREATE INDEX video_call_codes_booking_idx ON public.video_call_codes USING btree (booking_id, created_at)
index CREATE UNIQUE INDEX video_call_codes_pkey ON public.video_call_codes USING btree (id)
index CREATE UNIQUE INDEX video_call_devices_establishment_unique ON public.video_call_devices USING btree (id, establishment_id)
index CREATE UNIQUE INDEX video_call_devices_name_idx ON public.video_call_devices USING btree (establishment_id, lower(TRIM(BOTH FROM name)))
index CREATE UNIQUE INDEX video_call_devices_pkey ON public.video_call_devices USING btree (id)
index CREATE UNIQUE INDEX video_call_settings_pkey ON public.video_call_settings USING btree (id)
index CREATE UNIQUE INDEX video_call_settings_version_unique ON public.video_call_settings USING btree (establishment_id, version)
index CREATE UNIQUE INDEX visit_imports_pkey ON public.visit_imports USING btree (id)
index CREATE INDEX visit_incidents_establishment_idx ON public.visit_incidents USING btree (establishment_id, written_at)
index CREATE UNIQUE INDEX visit_incidents_one_interruption ON public.visit_incidents USING btree (visit_id) WHERE (interrupted_at IS NOT NULL)
index CREATE UNIQUE INDEX visit_incidents_pkey ON public.visit_incidents USING btree (id)
index CREATE INDEX visit_restrictions_establishment_idx ON public.visit_restrictions USING btree (establishment_id, ends_at)
index CREATE INDEX visit_restrictions_no_overlap ON public.visit_restrictions USING gist (detainee_id, kind, tstzrange(starts_at, COALESCE(ended_early_at, ends_at)))
index CREATE UNIQUE INDEX visit_restrictions_pkey ON public.visit_restrictions USING btree (id)
index CREATE UNIQUE INDEX visit_settings_pkey ON public.visit_settings USING btree (establishment_id)
index CREATE UNIQUE INDEX visit_slots_pkey ON public.visit_slots USING btree (id)
index CREATE UNIQUE INDEX visit_slots_unique ON public.visit_slots USING btree (room_id, starts_at)
index CREATE INDEX visit_visitors_no_overlap ON public.visit_visitors USING gist (permit_id, during) WHERE active
index CREATE INDEX visit_visitors_permit_idx ON public.visit_visitors USING btree (permit_id)
index CREATE UNIQUE INDEX visit_visitors_permit_unique ON public.visit_visitors USING btree (visit_id, permit_id)
index CREATE UNIQUE INDEX visit_visitors_pkey ON public.visit_visitors USING btree (id)
index CREATE INDEX visit_waitlist_family_idx ON public.visit_waitlist USING btree (family_account_id, starts_at)
index CREATE UNIQUE INDEX visit_waitlist_once ON public.visit_waitlist USING btree (family_account_id, detainee_id, template_id, day) WHERE (status = ANY (ARRAY['WAITING'::text, 'OFFERED'::text]))
index CREATE UNIQUE INDEX visit_waitlist_pkey ON public.visit_waitlist USING btree (id)
index CREATE INDEX visit_waitlist_queue ON public.visit_waitlist USING btree (template_id, starts_at, created_at) WHERE (status = 'WAITING'::text)
index CREATE UNIQUE INDEX visiting_rooms_name_unique ON public.visiting_rooms USING btree (establishment_id, name)
index CREATE UNIQUE INDEX visiting_rooms_pkey ON public.visiting_rooms USING btree (id)
index CREATE INDEX visits_day_idx ON public.visits USING btree (establishment_id, lower(during))
index CREATE INDEX visits_detainee_no_overlap ON public.visits USING gist (detainee_id, during) WHERE (status <> 'CANCELLED'::text)
index CREATE INDEX visits_detainee_week_idx ON public.visits USING btree (detainee_id, lower(during))
index CREATE INDEX visits_family_day_idx ON public.visits USING btree (family_account_id, lower(during)) WHERE (family_account_id IS NOT NULL)
index CREATE UNIQUE INDEX visits_idempotency ON public.visits USING btree (family_account_id, idempotency_key)
index CREATE UNIQUE INDEX visits_pkey ON public.visits USING btree (id)
index CREATE UNIQUE INDEX visits_reference_key ON public.visits USING btree (reference)
index CREATE INDEX visits_review_idx ON public.visits USING btree (establishment_id) WHERE (review_reason IS NOT NULL)
trigger CREATE TRIGGER audit_log_chain BEFORE INSERT ON public.audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_chain()
trigger CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON public.audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change()
trigger CREATE TRIGGER audit_log_no_update BEFORE DELETE OR UPDATE ON public.audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change()
trigger CREATE TRIGGER detainees_flag_visits AFTER UPDATE OF custody_status ON public.detainees FOR EACH ROW EXECUTE FUNCTION flag_visits_for_review()
trigger CREATE TRIGGER family_visit_requests_open_account BEFORE INSERT ON public.family_visit_requests FOR EACH ROW WHEN (((new.channel = 'ONLINE'::text) AND (new.family_account_id IS NOT NULL))) EXECUTE FUNCTION refuse_closed_family_account()
trigger CREATE TRIGGER family_visit_requests_wish BEFORE INSERT ON public.family_visit_requests FOR EACH ROW EXECUTE FUNCTION family_visit_requests_wish()
trigger CREATE TRIGGER family_visit_stays_break_kind BEFORE INSERT OR UPDATE OF break_from, break_to, unit_id ON public.family_visit_stays FOR EACH ROW EXECUTE FUNCTION family_visit_stays_break_kind()
trigger CREATE TRIGGER family_visit_stays_capacity BEFORE INSERT OR UPDATE OF visitors, unit_id ON public.family_visit_stays FOR EACH ROW EXECUTE FUNCTION family_visit_stays_capacity()
trigger CREATE TRIGGER family_visit_stays_detainee BEFORE INSERT OR UPDATE OF case_id, detainee_id ON public.family_visit_stays FOR EACH ROW EXECUTE FUNCTION family_visit_stays_detainee()
trigger CREATE TRIGGER permit_requests_open_account BEFORE INSERT ON public.permit_requests FOR EACH ROW EXECUTE FUNCTION refuse_closed_family_account()
trigger CREATE TRIGGER permits_consent_withdrawn AFTER UPDATE OF unaccompanied_consent_at ON public.permits FOR EACH ROW WHEN (((old.unaccompanied_consent_at IS NOT NULL) AND (new.unaccompanied_consent_at IS NULL))) EXECUTE FUNCTION flag_visits_consent_withdrawn()
trigger CREATE TRIGGER permits_flag_visits AFTER UPDATE OF status, valid_to, room_condition, allowed_days, allowed_from, allowed_to ON public.permits FOR EACH ROW EXECUTE FUNCTION flag_visits_for_review()
trigger CREATE TRIGGER visit_waitlist_open_account BEFORE INSERT ON public.visit_waitlist FOR EACH ROW EXECUTE FUNCTION refuse_closed_family_account()
trigger CREATE TRIGGER visits_open_account BEFORE INSERT ON public.visits FOR EACH ROW WHEN (((new.channel = 'ONLINE'::text) AND (new.family_account_id IS NOT NULL))) EXECUTE FUNCTION refuse_closed_family_account()
function audit_log_chain() returns trigger md5 213051155973925650f0b48eff74df5a
function audit_log_message(id bigint, occurred_at timestamp with time zone, actor_type text, actor_id uuid, actor_label text, action text, entity_type text, entity_id text, establishment_id uuid, before jsonb, after jsonb, prev_hash text) returns text md5 ad472a360e8c4ae4dfdc6ff30ed451ad
function audit_log_next(actor_type text, actor_id uuid, actor_label text, action text, entity_type text, entity_id text, establishment_id uuid, before jsonb, after jsonb) returns TABLE(next_id text, next_at text, next_prev text, next_message text) md5 3d5e196a77536af2b0756cf760c748ab
function audit_log_refuse_change() returns trigger md5 91a4c3d8dcbcca347f111b8437867386
function audit_log_row_hash(r audit_log) returns text md5 a03966ceb65adf42e4e4cd1116e6ffbe
function family_visit_requests_wish() returns trigger md5 ee396eea577e5d1619542ff13fd4cc3e
function family_visit_stays_break_kind() returns trigger md5 aaa38e576e1eab6bfbe89a9bf66d6d90
function family_visit_stays_capacity() returns trigger md5 ca094833db9cca3d3e89f7e93137bd07
function family_visit_stays_detainee() returns trigger md5 8e26000adb34d07c61f71c6e10e8b1d1
function flag_visits_consent_withdrawn() returns trigger md5 a7adf2525a445739cb0897ddd2e1ad55
function flag_visits_for_review() returns trigger md5 46f235c1af2ae3197bf8e139b61b544f
function refuse_closed_family_account() returns trigger md5 233c0f8c050ca5f13a9a227259b2b8d4
function unaccent_fold(text) returns text md5 caebbd08c2b4abc7432bc71350de0e62
sequence audit_log_id_seq
sequence demo_inbox_id_seq
sequence migrations_id_seq
sequence permit_claim_failures_id_seq
sequence permit_lookup_failures_id_seq
