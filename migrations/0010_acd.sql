CREATE TABLE `agent_settings` (
	`user_id` integer PRIMARY KEY NOT NULL,
	`tenant_id` integer NOT NULL,
	`skills` text NOT NULL,
	`working_hours` text NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `agent_states` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tenant_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`state` text NOT NULL,
	`pause_type_id` integer,
	`pause_reason` text,
	`pause_cause` text,
	`overrun` integer DEFAULT false NOT NULL,
	`started_at` integer NOT NULL,
	`ended_at` integer,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`pause_type_id`) REFERENCES `pause_types`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `agent_states_tenant_started_idx` ON `agent_states` (`tenant_id`,`started_at`);--> statement-breakpoint
CREATE INDEX `agent_states_user_started_idx` ON `agent_states` (`user_id`,`started_at`);--> statement-breakpoint
CREATE INDEX `agent_states_open_idx` ON `agent_states` (`ended_at`);--> statement-breakpoint
CREATE TABLE `queue_members` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tenant_id` integer NOT NULL,
	`queue_id` integer NOT NULL,
	`user_id` integer,
	`extension` text,
	`priority` integer DEFAULT 1 NOT NULL,
	`position` integer NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`queue_id`) REFERENCES `queues`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `queue_members_queue_user_unique` ON `queue_members` (`queue_id`,`user_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `queue_members_queue_extension_unique` ON `queue_members` (`queue_id`,`extension`);--> statement-breakpoint
CREATE INDEX `queue_members_user_idx` ON `queue_members` (`user_id`);--> statement-breakpoint
CREATE TABLE `queues` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tenant_id` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`name` text NOT NULL,
	`number` text NOT NULL,
	`description` text,
	`active` integer DEFAULT true NOT NULL,
	`strategy` text NOT NULL,
	`priority` integer DEFAULT 0 NOT NULL,
	`max_waiting` integer DEFAULT 0 NOT NULL,
	`max_wait_seconds` integer DEFAULT 0 NOT NULL,
	`ring_seconds` integer DEFAULT 15 NOT NULL,
	`auto_pause_after` integer DEFAULT 0 NOT NULL,
	`auto_pause_type_id` integer,
	`wrap_up_seconds` integer DEFAULT 0 NOT NULL,
	`sticky_seconds` integer DEFAULT 0 NOT NULL,
	`sticky_mode` text DEFAULT 'owner' NOT NULL,
	`priority_rules` text NOT NULL,
	`join_rule` text DEFAULT 'always' NOT NULL,
	`leave_rule` text DEFAULT 'never' NOT NULL,
	`moh_class` text,
	`announce_position` integer DEFAULT false NOT NULL,
	`announce_wait` integer DEFAULT false NOT NULL,
	`announce_every_seconds` integer DEFAULT 0 NOT NULL,
	`sla_percent` integer DEFAULT 80 NOT NULL,
	`sla_seconds` integer DEFAULT 20 NOT NULL,
	`short_abandon_seconds` integer DEFAULT 3 NOT NULL,
	`record` integer DEFAULT false NOT NULL,
	`retention_days` integer DEFAULT 0 NOT NULL,
	`show_on_desktop` integer DEFAULT true NOT NULL,
	`dest_kind` text DEFAULT 'hangup' NOT NULL,
	`dest_id` integer,
	`dest_number` text,
	`dest_cause` integer,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`auto_pause_type_id`) REFERENCES `pause_types`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `queues_tenant_number_unique` ON `queues` (`tenant_id`,`number`);--> statement-breakpoint
CREATE UNIQUE INDEX `queues_tenant_name_unique` ON `queues` (`tenant_id`,`name`);--> statement-breakpoint
CREATE TABLE `recordings` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tenant_id` integer NOT NULL,
	`call_id` text NOT NULL,
	`interaction_id` text,
	`queue_id` integer,
	`path` text NOT NULL,
	`format` text NOT NULL,
	`started_at` integer NOT NULL,
	`duration_seconds` integer NOT NULL,
	`size_bytes` integer NOT NULL,
	`expires_at` integer,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `recordings_tenant_started_idx` ON `recordings` (`tenant_id`,`started_at`);--> statement-breakpoint
CREATE INDEX `recordings_call_idx` ON `recordings` (`call_id`);--> statement-breakpoint
CREATE INDEX `recordings_expires_idx` ON `recordings` (`expires_at`);--> statement-breakpoint
CREATE TABLE `routed_interactions` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` integer NOT NULL,
	`queue_id` integer NOT NULL,
	`kind` text NOT NULL,
	`call_id` text,
	`contact_address` text NOT NULL,
	`contact_name` text,
	`contact_id` integer,
	`priority` integer NOT NULL,
	`entered_at` integer NOT NULL,
	`joined` integer NOT NULL,
	`outcome` text,
	`first_offer_at` integer,
	`answered_at` integer,
	`left_at` integer,
	`agent` text,
	`agent_user_id` integer,
	`agent_extension` text,
	`ended_at` integer,
	`talk_ms` integer DEFAULT 0 NOT NULL,
	`hold_ms` integer DEFAULT 0 NOT NULL,
	`wrap_ms` integer DEFAULT 0 NOT NULL,
	`handled` integer DEFAULT false NOT NULL,
	`offers` integer DEFAULT 0 NOT NULL,
	`unanswered_offers` integer DEFAULT 0 NOT NULL,
	`transferred_from` text,
	`end_reason` text,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`queue_id`) REFERENCES `queues`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`agent_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `routed_interactions_tenant_entered_idx` ON `routed_interactions` (`tenant_id`,`entered_at`);--> statement-breakpoint
CREATE INDEX `routed_interactions_queue_entered_idx` ON `routed_interactions` (`queue_id`,`entered_at`);--> statement-breakpoint
CREATE INDEX `routed_interactions_call_idx` ON `routed_interactions` (`call_id`);--> statement-breakpoint
CREATE INDEX `routed_interactions_open_idx` ON `routed_interactions` (`handled`);--> statement-breakpoint
CREATE TABLE `routed_offers` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` integer NOT NULL,
	`interaction_id` text NOT NULL,
	`queue_id` integer NOT NULL,
	`agent` text NOT NULL,
	`agent_user_id` integer,
	`offered_at` integer NOT NULL,
	`ended_at` integer NOT NULL,
	`outcome` text NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`agent_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `routed_offers_tenant_offered_idx` ON `routed_offers` (`tenant_id`,`offered_at`);--> statement-breakpoint
CREATE INDEX `routed_offers_interaction_idx` ON `routed_offers` (`interaction_id`);