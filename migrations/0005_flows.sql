CREATE TABLE `call_data` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tenant_id` integer NOT NULL,
	`call_id` text NOT NULL,
	`name` text NOT NULL,
	`value` text NOT NULL,
	`set_at` integer NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `call_data_call_name_unique` ON `call_data` (`call_id`,`name`);--> statement-breakpoint
CREATE TABLE `holiday_calendars` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tenant_id` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`name` text NOT NULL,
	`state` text,
	`city` text,
	`types` text NOT NULL,
	`excluded` text NOT NULL,
	`own` text NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `holiday_calendars_tenant_name_unique` ON `holiday_calendars` (`tenant_id`,`name`);--> statement-breakpoint
CREATE TABLE `ivr_traces` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tenant_id` integer NOT NULL,
	`call_id` text NOT NULL,
	`ivr_id` integer NOT NULL,
	`version` integer NOT NULL,
	`node` text NOT NULL,
	`event` text NOT NULL,
	`digits` text,
	`destination` text,
	`at` integer NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `ivr_traces_tenant_ivr_at_idx` ON `ivr_traces` (`tenant_id`,`ivr_id`,`at`);--> statement-breakpoint
CREATE INDEX `ivr_traces_call_idx` ON `ivr_traces` (`call_id`);--> statement-breakpoint
CREATE TABLE `ivr_versions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tenant_id` integer NOT NULL,
	`ivr_id` integer NOT NULL,
	`version` integer NOT NULL,
	`definition` text NOT NULL,
	`created_at` integer NOT NULL,
	`restored_from` integer,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`ivr_id`) REFERENCES `ivrs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ivr_versions_ivr_version_unique` ON `ivr_versions` (`ivr_id`,`version`);--> statement-breakpoint
CREATE TABLE `ivrs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tenant_id` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`version` integer NOT NULL,
	`survey_id` integer,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`survey_id`) REFERENCES `surveys`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ivrs_tenant_name_unique` ON `ivrs` (`tenant_id`,`name`);--> statement-breakpoint
CREATE INDEX `ivrs_survey_idx` ON `ivrs` (`survey_id`);--> statement-breakpoint
CREATE TABLE `survey_answers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tenant_id` integer NOT NULL,
	`survey_id` integer NOT NULL,
	`call_id` text NOT NULL,
	`alias` text NOT NULL,
	`value` integer NOT NULL,
	`answered_at` integer NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `survey_answers_call_alias_unique` ON `survey_answers` (`call_id`,`survey_id`,`alias`);--> statement-breakpoint
CREATE INDEX `survey_answers_tenant_survey_idx` ON `survey_answers` (`tenant_id`,`survey_id`,`answered_at`);--> statement-breakpoint
CREATE TABLE `surveys` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tenant_id` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`name` text NOT NULL,
	`language` text NOT NULL,
	`intro` text NOT NULL,
	`questions` text NOT NULL,
	`invalid_prompt` text NOT NULL,
	`thanks` text NOT NULL,
	`timeout_seconds` integer NOT NULL,
	`retries` integer NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `surveys_tenant_name_unique` ON `surveys` (`tenant_id`,`name`);--> statement-breakpoint
CREATE TABLE `time_conditions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tenant_id` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`name` text NOT NULL,
	`time_zone` text NOT NULL,
	`periods` text NOT NULL,
	`exceptions` text NOT NULL,
	`calendar_id` integer,
	`open_destination` text NOT NULL,
	`closed_destination` text NOT NULL,
	`holiday_destination` text,
	`override_state` text,
	`override_until` integer,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`calendar_id`) REFERENCES `holiday_calendars`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `time_conditions_tenant_name_unique` ON `time_conditions` (`tenant_id`,`name`);--> statement-breakpoint
CREATE INDEX `time_conditions_calendar_idx` ON `time_conditions` (`calendar_id`);--> statement-breakpoint
CREATE TABLE `voicemail_boxes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tenant_id` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`name` text NOT NULL,
	`number` text NOT NULL,
	`greeting` text NOT NULL,
	`max_message_seconds` integer NOT NULL,
	`max_messages` integer NOT NULL,
	`language` text NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `voicemail_boxes_tenant_number_unique` ON `voicemail_boxes` (`tenant_id`,`number`);--> statement-breakpoint
CREATE TABLE `voicemail_messages` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tenant_id` integer NOT NULL,
	`box_id` integer NOT NULL,
	`call_id` text NOT NULL,
	`from_number` text NOT NULL,
	`from_name` text,
	`duration_ms` integer NOT NULL,
	`file` text NOT NULL,
	`bytes` integer NOT NULL,
	`recorded_at` integer NOT NULL,
	`heard_at` integer,
	`heard_by` integer,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`box_id`) REFERENCES `voicemail_boxes`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`heard_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `voicemail_messages_box_idx` ON `voicemail_messages` (`box_id`,`recorded_at`);--> statement-breakpoint
CREATE INDEX `voicemail_messages_tenant_idx` ON `voicemail_messages` (`tenant_id`);