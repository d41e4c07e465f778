CREATE TABLE `calls` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tenant_id` integer NOT NULL,
	`call_id` text NOT NULL,
	`parent_call_id` text,
	`channel_id` text NOT NULL,
	`channel_name` text,
	`kind` text NOT NULL,
	`direction` text NOT NULL,
	`from_number` text DEFAULT '' NOT NULL,
	`from_name` text,
	`to_number` text DEFAULT '' NOT NULL,
	`trunk_ref` text,
	`state` text NOT NULL,
	`started_at` integer NOT NULL,
	`answered_at` integer,
	`ended_at` integer,
	`cause` integer,
	`cause_text` text,
	`hangup_by` text,
	`end_reason` text,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `calls_call_id_unique` ON `calls` (`call_id`);--> statement-breakpoint
CREATE INDEX `calls_tenant_started_idx` ON `calls` (`tenant_id`,`started_at`);--> statement-breakpoint
CREATE INDEX `calls_tenant_direction_started_idx` ON `calls` (`tenant_id`,`direction`,`started_at`);--> statement-breakpoint
CREATE INDEX `calls_tenant_state_idx` ON `calls` (`tenant_id`,`state`);--> statement-breakpoint
CREATE INDEX `calls_state_idx` ON `calls` (`state`);--> statement-breakpoint
CREATE INDEX `calls_channel_idx` ON `calls` (`channel_id`);--> statement-breakpoint
CREATE INDEX `calls_parent_idx` ON `calls` (`parent_call_id`);