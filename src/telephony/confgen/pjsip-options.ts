/**
 * The options Asterisk 22's PJSIP objects accept, per object type, as res_pjsip registers them
 * with sorcery. An unknown option makes Asterisk refuse the whole object at load ("Could not
 * find option suitable for category …"), so Atende checks the extra options an admin adds
 * against this list, and the emulator refuses unknown ones as Asterisk does.
 */
const words = (s: string): ReadonlySet<string> => new Set(s.split(/\s+/).filter(Boolean));

export const PJSIP_OPTIONS: Readonly<Record<string, ReadonlySet<string>>> = {
  endpoint: words(`
    type 100rel accept_multiple_sdp_answers accountcode acl aggregate_mwi allow allow_overlap allow_subscribe
    allow_transfer allow_unauthenticated_options aors asymmetric_rtp_codec auth bind_rtp_to_media_address bundle
    call_group callerid callerid_privacy callerid_tag codec_prefs_incoming_answer codec_prefs_incoming_offer
    codec_prefs_outgoing_answer codec_prefs_outgoing_offer connected_line_method contact_acl contact_deny
    contact_permit contact_user context cos_audio cos_video deny device_state_busy_at direct_media
    direct_media_glare_mitigation direct_media_method disable_direct_media_on_nat disallow dtls_auto_generate_cert
    dtls_ca_file dtls_ca_path dtls_cert_file dtls_cipher dtls_fingerprint dtls_private_key dtls_rekey dtls_setup
    dtls_verify dtmf_mode fax_detect fax_detect_timeout follow_early_media_fork follow_redirect_methods force_avp
    force_rport from_domain from_user g726_non_standard ice_support identify_by ignore_183_without_sdp
    inband_progress incoming_call_offer_pref incoming_mwi_mailbox language mailboxes max_audio_streams
    max_video_streams media_address media_encryption media_encryption_optimistic media_use_received_transport
    message_context moh_passthrough moh_suggest mwi_from_user mwi_subscribe_replaces_unsolicited named_call_group
    named_pickup_group notify_early_inuse_ringing one_touch_recording outbound_auth outbound_proxy
    outgoing_call_offer_pref overlap_context permit pickup_group preferred_codec_only record_off_feature
    record_on_feature redirect_method refer_blind_progress rewrite_contact rpid_immediate rtcp_mux rtp_engine
    rtp_ipv6 rtp_keepalive rtp_port_end rtp_port_start rtp_symmetric rtp_timeout rtp_timeout_hold sdp_owner
    sdp_session security_mechanisms security_negotiation send_aoc send_connected_line send_diversion
    send_history_info send_pai send_rpid set_var srtp_tag_32 stir_shaken_profile sub_min_expiry
    subscribe_context suppress_moh_on_sendonly suppress_q850_reason_headers t38_bind_udptl_to_media_address
    t38_udptl t38_udptl_ec t38_udptl_ipv6 t38_udptl_maxdatagram t38_udptl_nat tenantid timers timers_min_se
    timers_sess_expires tone_zone tos_audio tos_video transport trust_connected_line trust_id_inbound
    trust_id_outbound use_avpf use_ptime user_eq_phone voicemail_extension webrtc`),
  aor: words(`
    type minimum_expiration maximum_expiration default_expiration qualify_frequency qualify_timeout
    qualify_2xx_only authenticate_qualify max_contacts remove_existing remove_unavailable contact mailboxes
    voicemail_extension outbound_proxy support_path`),
  auth: words(`
    type auth_type username password md5_cred realm nonce_lifetime refresh_token oauth_clientid oauth_secret
    password_digest supported_algorithms_uac supported_algorithms_uas`),
  registration: words(`
    type server_uri client_uri contact_user contact_header_params transport outbound_proxy expiration
    max_random_initial_delay retry_interval forbidden_retry_interval fatal_retry_interval max_retries
    auth_rejection_permanent outbound_auth support_path support_outbound security_negotiation
    security_mechanisms line endpoint user_agent`),
  identify: words('type endpoint match match_header match_request_uri srv_lookups'),
  transport: words(`
    type protocol bind async_operations ca_list_file ca_list_path cert_file cipher domain
    external_media_address external_signaling_address external_signaling_port method local_net password
    priv_key_file require_client_cert verify_client verify_server tos cos websocket_write_timeout allow_reload
    symmetric_transport allow_wildcard_certs tcp_keepalive_enable tcp_keepalive_idle_time
    tcp_keepalive_interval_time tcp_keepalive_probe_count`),
};
