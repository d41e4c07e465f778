CREATE TABLE `password_tokens` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tenant_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`token_hash` text NOT NULL,
	`purpose` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	`created_by` integer,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `password_tokens_token_hash_unique` ON `password_tokens` (`token_hash`);--> statement-breakpoint
CREATE INDEX `password_tokens_user_idx` ON `password_tokens` (`user_id`);--> statement-breakpoint
CREATE TABLE `mail_settings` (
	`id` integer PRIMARY KEY NOT NULL,
	`tenant_id` integer NOT NULL,
	`host` text NOT NULL,
	`port` integer NOT NULL,
	`tls` text NOT NULL,
	`username` text,
	`password` text,
	`sender_address` text NOT NULL,
	`sender_name` text,
	`updated_at` integer NOT NULL,
	`updated_by` integer,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
ALTER TABLE `users` ADD `employee_number` text;--> statement-breakpoint
ALTER TABLE `users` ADD `cpf` text;--> statement-breakpoint
CREATE UNIQUE INDEX `users_employee_number_tenant_unique` ON `users` (`employee_number`,`tenant_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `users_cpf_tenant_unique` ON `users` (`cpf`,`tenant_id`);--> statement-breakpoint
CREATE INDEX `users_email_lower_idx` ON `users` (lower("email"));--> statement-breakpoint
ALTER TABLE `sessions` ADD `active_tenant_id` integer REFERENCES tenants(id);