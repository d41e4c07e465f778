CREATE TABLE `dialer_attempts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tenant_id` integer NOT NULL,
	`campaign_id` integer NOT NULL,
	`member_id` integer,
	`contact_id` integer,
	`phone` text NOT NULL,
	`outcome` text NOT NULL,
	`cause` integer,
	`started_at` integer NOT NULL,
	`answered_at` integer,
	`ended_at` integer NOT NULL,
	`agent_user_id` integer,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`campaign_id`) REFERENCES `dialer_campaigns`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`member_id`) REFERENCES `dialer_list_members`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`contact_id`) REFERENCES `contacts`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`agent_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `dialer_attempts_tenant_started_idx` ON `dialer_attempts` (`tenant_id`,`started_at`);--> statement-breakpoint
CREATE INDEX `dialer_attempts_campaign_idx` ON `dialer_attempts` (`campaign_id`,`started_at`);--> statement-breakpoint
CREATE TABLE `dialer_campaigns` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tenant_id` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`mode` text NOT NULL,
	`strategy_id` integer NOT NULL,
	`queue_id` integer NOT NULL,
	`outbound_route_id` integer,
	`caller_id` text,
	`ring_timeout_seconds` integer NOT NULL,
	`amd_enabled` integer NOT NULL,
	`amd` text NOT NULL,
	`require_tabulation` integer NOT NULL,
	`status_group_id` integer,
	`abandon_target_percent` real NOT NULL,
	`abandon_max_percent` real NOT NULL,
	`prefix_0303` integer NOT NULL,
	`stop_when_exhausted` integer NOT NULL,
	`stop_at` integer,
	`state` text NOT NULL,
	`state_reason` text,
	`started_at` integer,
	`ended_at` integer,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`strategy_id`) REFERENCES `dialer_strategies`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`status_group_id`) REFERENCES `status_groups`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `dialer_campaigns_tenant_name_unique` ON `dialer_campaigns` (`tenant_id`,`name`);--> statement-breakpoint
CREATE INDEX `dialer_campaigns_strategy_idx` ON `dialer_campaigns` (`strategy_id`);--> statement-breakpoint
CREATE TABLE `dialer_list_members` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tenant_id` integer NOT NULL,
	`list_id` integer NOT NULL,
	`contact_id` integer NOT NULL,
	`position` integer NOT NULL,
	`import_id` integer,
	`phone_attempts` text NOT NULL,
	`attempt_times` text NOT NULL,
	`last_outcome` text,
	`retry_at` integer,
	`callback_at` integer,
	`callback_user_id` integer,
	`finished` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`list_id`) REFERENCES `dialer_lists`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`contact_id`) REFERENCES `contacts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`callback_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `dialer_list_members_list_contact_unique` ON `dialer_list_members` (`list_id`,`contact_id`);--> statement-breakpoint
CREATE INDEX `dialer_list_members_list_position_idx` ON `dialer_list_members` (`list_id`,`position`);--> statement-breakpoint
CREATE INDEX `dialer_list_members_import_idx` ON `dialer_list_members` (`import_id`);--> statement-breakpoint
CREATE TABLE `dialer_lists` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tenant_id` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`book_id` integer NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`campaign_id` integer,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`book_id`) REFERENCES `contact_books`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`campaign_id`) REFERENCES `dialer_campaigns`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `dialer_lists_tenant_name_unique` ON `dialer_lists` (`tenant_id`,`name`);--> statement-breakpoint
CREATE INDEX `dialer_lists_campaign_idx` ON `dialer_lists` (`campaign_id`);--> statement-breakpoint
CREATE TABLE `dialer_strategies` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tenant_id` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`max_attempts_per_phone` integer NOT NULL,
	`max_attempts_per_contact` integer NOT NULL,
	`max_attempts_per_day` integer NOT NULL,
	`retry_minutes` text NOT NULL,
	`phone_order` text NOT NULL,
	`time_condition_id` integer,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`time_condition_id`) REFERENCES `time_conditions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `dialer_strategies_tenant_name_unique` ON `dialer_strategies` (`tenant_id`,`name`);