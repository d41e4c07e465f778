CREATE TABLE `announcements` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tenant_id` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`name` text NOT NULL,
	`prompt_ids` text NOT NULL,
	`dest_kind` text NOT NULL,
	`dest_id` integer,
	`dest_number` text,
	`dest_cause` integer,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `announcements_tenant_name_unique` ON `announcements` (`tenant_id`,`name`);--> statement-breakpoint
CREATE TABLE `conferences` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tenant_id` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`name` text NOT NULL,
	`number` text NOT NULL,
	`pin` text,
	`max_members` integer,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `conferences_tenant_number_unique` ON `conferences` (`tenant_id`,`number`);--> statement-breakpoint
CREATE TABLE `e1_spans` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tenant_id` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`span` integer NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`timing` integer NOT NULL,
	`line_build_out` integer DEFAULT 0 NOT NULL,
	`framing` text NOT NULL,
	`coding` text NOT NULL,
	`crc4` integer NOT NULL,
	`signalling` text NOT NULL,
	`switchtype` text DEFAULT 'euroisdn' NOT NULL,
	`bchannels` text NOT NULL,
	`dchannel` integer,
	`channel_group` integer NOT NULL,
	`r2` text,
	`echo_canceller` integer DEFAULT false NOT NULL,
	`unknown_did_cause` integer,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `e1_spans_span_unique` ON `e1_spans` (`span`);--> statement-breakpoint
CREATE INDEX `e1_spans_tenant_idx` ON `e1_spans` (`tenant_id`);--> statement-breakpoint
CREATE TABLE `extensions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tenant_id` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`number` text NOT NULL,
	`sip_user` text NOT NULL,
	`secret` text NOT NULL,
	`display_name` text NOT NULL,
	`kind` text NOT NULL,
	`codecs` text NOT NULL,
	`max_contacts` integer DEFAULT 1 NOT NULL,
	`user_id` integer,
	`dial_out` integer DEFAULT true NOT NULL,
	`outbound_caller_id` text,
	`dnd` integer DEFAULT false NOT NULL,
	`forward_to` text,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `extensions_sip_user_unique` ON `extensions` (`sip_user`);--> statement-breakpoint
CREATE UNIQUE INDEX `extensions_tenant_number_unique` ON `extensions` (`tenant_id`,`number`);--> statement-breakpoint
CREATE INDEX `extensions_user_idx` ON `extensions` (`user_id`);--> statement-breakpoint
CREATE TABLE `inbound_routes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tenant_id` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`did` text NOT NULL,
	`cid_pattern` text DEFAULT '' NOT NULL,
	`dest_kind` text NOT NULL,
	`dest_id` integer,
	`dest_number` text,
	`dest_cause` integer,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `inbound_routes_did_cid_unique` ON `inbound_routes` (`did`,`cid_pattern`);--> statement-breakpoint
CREATE INDEX `inbound_routes_tenant_idx` ON `inbound_routes` (`tenant_id`);--> statement-breakpoint
CREATE TABLE `moh_classes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tenant_id` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`random` integer DEFAULT false NOT NULL,
	`prompt_ids` text NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `moh_classes_tenant_name_unique` ON `moh_classes` (`tenant_id`,`name`);--> statement-breakpoint
CREATE TABLE `outbound_route_rules` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tenant_id` integer NOT NULL,
	`route_id` integer NOT NULL,
	`position` integer NOT NULL,
	`pattern` text NOT NULL,
	`strip` integer DEFAULT 0 NOT NULL,
	`prefix` text DEFAULT '' NOT NULL,
	`caller_id` text,
	`force_caller_id` integer DEFAULT false NOT NULL,
	`restrict_to` text NOT NULL,
	`brazil_format` integer DEFAULT false NOT NULL,
	`carrier_code` text,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`route_id`) REFERENCES `outbound_routes`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `outbound_route_rules_route_idx` ON `outbound_route_rules` (`route_id`);--> statement-breakpoint
CREATE TABLE `outbound_route_trunks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tenant_id` integer NOT NULL,
	`route_id` integer NOT NULL,
	`position` integer NOT NULL,
	`trunk_id` integer,
	`e1_group` integer,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`route_id`) REFERENCES `outbound_routes`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`trunk_id`) REFERENCES `sip_trunks`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `outbound_route_trunks_route_idx` ON `outbound_route_trunks` (`route_id`);--> statement-breakpoint
CREATE INDEX `outbound_route_trunks_trunk_idx` ON `outbound_route_trunks` (`trunk_id`);--> statement-breakpoint
CREATE TABLE `outbound_routes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tenant_id` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`name` text NOT NULL,
	`position` integer NOT NULL,
	`time_condition_id` integer,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `outbound_routes_tenant_name_unique` ON `outbound_routes` (`tenant_id`,`name`);--> statement-breakpoint
CREATE TABLE `sip_settings` (
	`id` integer PRIMARY KEY NOT NULL,
	`udp_port` integer DEFAULT 5060 NOT NULL,
	`tcp_enabled` integer DEFAULT true NOT NULL,
	`wss_enabled` integer DEFAULT true NOT NULL,
	`external_address` text,
	`local_nets` text NOT NULL,
	`video_support` integer DEFAULT false NOT NULL,
	`session_timers` text DEFAULT 'no' NOT NULL,
	`language` text DEFAULT 'pt_BR' NOT NULL,
	`phone_qualify_seconds` integer DEFAULT 30 NOT NULL,
	`trunk_qualify_seconds` integer DEFAULT 60 NOT NULL,
	`unknown_did_cause` integer DEFAULT 1 NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `sip_trunks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tenant_id` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`host` text NOT NULL,
	`port` integer,
	`transport` text NOT NULL,
	`codecs` text NOT NULL,
	`auth_user` text,
	`secret` text,
	`register` integer DEFAULT false NOT NULL,
	`contact_user` text,
	`expiration_seconds` integer DEFAULT 300 NOT NULL,
	`from_user` text,
	`from_domain` text,
	`outbound_proxy` text,
	`max_channels` integer,
	`extra_options` text NOT NULL,
	`unknown_did_cause` integer,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sip_trunks_name_unique` ON `sip_trunks` (`name`);--> statement-breakpoint
CREATE INDEX `sip_trunks_tenant_idx` ON `sip_trunks` (`tenant_id`);--> statement-breakpoint
ALTER TABLE `calls` ADD `trunk_attempts` text;