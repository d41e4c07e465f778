CREATE TABLE `tenants` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`legal_name` text NOT NULL,
	`cnpj` text NOT NULL,
	`contact_name` text,
	`contact_email` text,
	`contact_phone` text,
	`ddi` text DEFAULT '55' NOT NULL,
	`ddd` text,
	`cnl` text,
	`active` integer DEFAULT true NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tenants_cnpj_unique` ON `tenants` (`cnpj`);