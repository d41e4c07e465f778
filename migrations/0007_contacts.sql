CREATE TABLE `blacklist` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tenant_id` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`direction` text NOT NULL,
	`match` text NOT NULL,
	`number` text NOT NULL,
	`reason` text,
	`expires_at` integer,
	`import_id` integer,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `blacklist_tenant_direction_match_number_unique` ON `blacklist` (`tenant_id`,`direction`,`match`,`number`);--> statement-breakpoint
CREATE INDEX `blacklist_import_idx` ON `blacklist` (`import_id`);--> statement-breakpoint
CREATE TABLE `callbacks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tenant_id` integer NOT NULL,
	`contact_id` integer NOT NULL,
	`interaction_id` integer,
	`phone` text,
	`service_id` integer,
	`agent_user_id` integer,
	`due_at` integer NOT NULL,
	`note` text,
	`state` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`contact_id`) REFERENCES `contacts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`interaction_id`) REFERENCES `contact_interactions`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`agent_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `callbacks_tenant_state_due_idx` ON `callbacks` (`tenant_id`,`state`,`due_at`);--> statement-breakpoint
CREATE INDEX `callbacks_agent_idx` ON `callbacks` (`agent_user_id`);--> statement-breakpoint
CREATE TABLE `campaign_types` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tenant_id` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`form_id` integer NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`form_id`) REFERENCES `contact_forms`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `campaign_types_tenant_name_unique` ON `campaign_types` (`tenant_id`,`name`);--> statement-breakpoint
CREATE INDEX `campaign_types_form_idx` ON `campaign_types` (`form_id`);--> statement-breakpoint
CREATE TABLE `contact_books` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tenant_id` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`form_id` integer,
	`campaign_type_id` integer,
	`is_default` integer DEFAULT false NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`form_id`) REFERENCES `contact_forms`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`campaign_type_id`) REFERENCES `campaign_types`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `contact_books_tenant_name_unique` ON `contact_books` (`tenant_id`,`name`);--> statement-breakpoint
CREATE TABLE `contact_emails` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tenant_id` integer NOT NULL,
	`contact_id` integer NOT NULL,
	`email` text NOT NULL,
	`position` integer NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`contact_id`) REFERENCES `contacts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `contact_emails_tenant_email_idx` ON `contact_emails` (`tenant_id`,`email`);--> statement-breakpoint
CREATE INDEX `contact_emails_contact_idx` ON `contact_emails` (`contact_id`);--> statement-breakpoint
CREATE TABLE `contact_forms` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tenant_id` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`items` text NOT NULL,
	`is_default` integer DEFAULT false NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `contact_forms_tenant_name_unique` ON `contact_forms` (`tenant_id`,`name`);--> statement-breakpoint
CREATE TABLE `contact_interactions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tenant_id` integer NOT NULL,
	`contact_id` integer,
	`address` text,
	`protocol` text NOT NULL,
	`kind` text NOT NULL,
	`channel` text NOT NULL,
	`service_id` integer,
	`service_name` text,
	`agent_user_id` integer,
	`call_id` text,
	`state` text NOT NULL,
	`requires_tabulation` integer DEFAULT false NOT NULL,
	`started_at` integer NOT NULL,
	`ended_at` integer,
	`status_id` integer,
	`status_name` text,
	`group_name` text,
	`note` text,
	`external_protocol` text,
	`tag_ids` text NOT NULL,
	`form_values` text NOT NULL,
	`details` text NOT NULL,
	`tabulated_at` integer,
	`tabulated_by` integer,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`contact_id`) REFERENCES `contacts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`agent_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`status_id`) REFERENCES `statuses`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`tabulated_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `contact_interactions_contact_started_idx` ON `contact_interactions` (`contact_id`,`started_at`);--> statement-breakpoint
CREATE INDEX `contact_interactions_tenant_started_idx` ON `contact_interactions` (`tenant_id`,`started_at`);--> statement-breakpoint
CREATE INDEX `contact_interactions_call_idx` ON `contact_interactions` (`call_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `contact_interactions_tenant_protocol_unique` ON `contact_interactions` (`tenant_id`,`protocol`);--> statement-breakpoint
CREATE TABLE `contact_phones` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tenant_id` integer NOT NULL,
	`contact_id` integer NOT NULL,
	`book_id` integer NOT NULL,
	`number` text NOT NULL,
	`kind` text NOT NULL,
	`label` text,
	`position` integer NOT NULL,
	`valid` integer DEFAULT true NOT NULL,
	`invalid_reason` text,
	`do_not_call` integer DEFAULT false NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`contact_id`) REFERENCES `contacts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `contact_phones_tenant_number_idx` ON `contact_phones` (`tenant_id`,`number`);--> statement-breakpoint
CREATE INDEX `contact_phones_contact_idx` ON `contact_phones` (`contact_id`);--> statement-breakpoint
CREATE TABLE `contact_tags` (
	`contact_id` integer NOT NULL,
	`tag_id` integer NOT NULL,
	PRIMARY KEY(`contact_id`, `tag_id`),
	FOREIGN KEY (`contact_id`) REFERENCES `contacts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`tag_id`) REFERENCES `tags`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `contact_tags_tag_idx` ON `contact_tags` (`tag_id`);--> statement-breakpoint
CREATE TABLE `contacts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tenant_id` integer NOT NULL,
	`book_id` integer NOT NULL,
	`name` text NOT NULL,
	`name_key` text NOT NULL,
	`document` text,
	`company` text,
	`street` text,
	`street_number` text,
	`complement` text,
	`district` text,
	`city` text,
	`state` text,
	`postal_code` text,
	`custom` text NOT NULL,
	`owner_user_id` integer,
	`owner_until` integer,
	`do_not_call` integer DEFAULT false NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`import_id` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`book_id`) REFERENCES `contact_books`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`owner_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `contacts_tenant_name_idx` ON `contacts` (`tenant_id`,`name_key`);--> statement-breakpoint
CREATE INDEX `contacts_tenant_document_idx` ON `contacts` (`tenant_id`,`document`);--> statement-breakpoint
CREATE INDEX `contacts_book_idx` ON `contacts` (`book_id`);--> statement-breakpoint
CREATE INDEX `contacts_import_idx` ON `contacts` (`import_id`);--> statement-breakpoint
CREATE TABLE `crm_settings` (
	`tenant_id` integer PRIMARY KEY NOT NULL,
	`require_protocol` integer DEFAULT false NOT NULL,
	`ticket_mode` text DEFAULT 'every_interaction' NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `custom_fields` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tenant_id` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`scope` text NOT NULL,
	`key` text NOT NULL,
	`label` text NOT NULL,
	`type` text NOT NULL,
	`mask` text,
	`required` integer DEFAULT false NOT NULL,
	`options` text,
	`max_length` integer,
	`min` integer,
	`max` integer,
	`position` integer DEFAULT 0 NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `custom_fields_tenant_scope_key_unique` ON `custom_fields` (`tenant_id`,`scope`,`key`);--> statement-breakpoint
CREATE TABLE `faqs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tenant_id` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`question` text NOT NULL,
	`answer` text NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `faqs_tenant_question_unique` ON `faqs` (`tenant_id`,`question`);--> statement-breakpoint
CREATE TABLE `import_errors` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`import_id` integer NOT NULL,
	`line` integer NOT NULL,
	`field` text NOT NULL,
	`value` text,
	`code` text NOT NULL,
	`message` text NOT NULL,
	`rejected` integer NOT NULL,
	FOREIGN KEY (`import_id`) REFERENCES `imports`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `import_errors_import_idx` ON `import_errors` (`import_id`,`line`);--> statement-breakpoint
CREATE TABLE `imports` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tenant_id` integer NOT NULL,
	`target` text NOT NULL,
	`options` text NOT NULL,
	`file_name` text NOT NULL,
	`size_bytes` integer NOT NULL,
	`encoding` text,
	`delimiter` text,
	`state` text NOT NULL,
	`bytes_read` integer DEFAULT 0 NOT NULL,
	`rows` integer DEFAULT 0 NOT NULL,
	`imported` integer DEFAULT 0 NOT NULL,
	`rejected` integer DEFAULT 0 NOT NULL,
	`problems` integer DEFAULT 0 NOT NULL,
	`error` text,
	`created_by` integer,
	`started_at` integer NOT NULL,
	`finished_at` integer,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `imports_tenant_started_idx` ON `imports` (`tenant_id`,`started_at`);--> statement-breakpoint
CREATE TABLE `shortcuts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tenant_id` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`prefix` text NOT NULL,
	`text` text NOT NULL,
	`service_id` integer,
	`active` integer DEFAULT true NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `shortcuts_tenant_prefix_service_unique` ON `shortcuts` (`tenant_id`,`prefix`,`service_id`);--> statement-breakpoint
CREATE TABLE `status_group_teams` (
	`group_id` integer NOT NULL,
	`team_id` integer NOT NULL,
	PRIMARY KEY(`group_id`, `team_id`),
	FOREIGN KEY (`group_id`) REFERENCES `status_groups`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `status_groups` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tenant_id` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`all_teams` integer DEFAULT true NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `status_groups_tenant_name_unique` ON `status_groups` (`tenant_id`,`name`);--> statement-breakpoint
CREATE TABLE `statuses` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tenant_id` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`group_id` integer NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`integration_code` text,
	`category` text NOT NULL,
	`kinds` text NOT NULL,
	`productive` integer DEFAULT false NOT NULL,
	`is_default` integer DEFAULT false NOT NULL,
	`schedules_callback` integer DEFAULT false NOT NULL,
	`requires_protocol` integer DEFAULT false NOT NULL,
	`requires_tag` integer DEFAULT false NOT NULL,
	`actions` text NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`group_id`) REFERENCES `status_groups`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `statuses_group_name_unique` ON `statuses` (`group_id`,`name`);--> statement-breakpoint
CREATE INDEX `statuses_tenant_idx` ON `statuses` (`tenant_id`);--> statement-breakpoint
CREATE TABLE `tags` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tenant_id` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`parent_id` integer,
	`title` text NOT NULL,
	`description` text,
	`colour` text NOT NULL,
	`icon` text,
	`kinds` text NOT NULL,
	`service_ids` text NOT NULL,
	`actions` text NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`parent_id`) REFERENCES `tags`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tags_tenant_parent_title_unique` ON `tags` (`tenant_id`,`parent_id`,`title`);--> statement-breakpoint
CREATE TABLE `ticket_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`ticket_id` integer NOT NULL,
	`at` integer NOT NULL,
	`user_id` integer,
	`interaction_id` integer,
	`changes` text NOT NULL,
	FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `ticket_events_ticket_idx` ON `ticket_events` (`ticket_id`);--> statement-breakpoint
CREATE TABLE `tickets` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tenant_id` integer NOT NULL,
	`contact_id` integer NOT NULL,
	`interaction_id` integer,
	`subject` text NOT NULL,
	`status` text NOT NULL,
	`custom` text NOT NULL,
	`created_by` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`contact_id`) REFERENCES `contacts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`interaction_id`) REFERENCES `contact_interactions`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `tickets_contact_idx` ON `tickets` (`contact_id`);--> statement-breakpoint
CREATE INDEX `tickets_tenant_updated_idx` ON `tickets` (`tenant_id`,`updated_at`);