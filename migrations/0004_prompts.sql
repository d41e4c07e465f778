CREATE TABLE `prompts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tenant_id` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`language` text NOT NULL,
	`source` text NOT NULL,
	`original_name` text,
	`source_format` text,
	`tts_text` text,
	`tts_voice` text,
	`tts_rate` integer,
	`duration_ms` integer NOT NULL,
	`wav_bytes` integer NOT NULL,
	`wav_sha256` text NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `prompts_tenant_name_unique` ON `prompts` (`tenant_id`,`name`);