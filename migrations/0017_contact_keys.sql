CREATE TABLE `contact_email_keys` (
	`tenant_id` integer NOT NULL,
	`email` text NOT NULL,
	`email_id` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `email`, `email_id`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `contact_name_keys` (
	`tenant_id` integer NOT NULL,
	`name_key` text NOT NULL,
	`contact_id` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `name_key`, `contact_id`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `contact_phone_keys` (
	`tenant_id` integer NOT NULL,
	`number` text NOT NULL,
	`phone_id` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `number`, `phone_id`)
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `contact_email_keys` SELECT `tenant_id`, `email`, `id` FROM `contact_emails` ORDER BY 1, 2, 3;--> statement-breakpoint
INSERT INTO `contact_name_keys` SELECT `tenant_id`, `name_key`, `id` FROM `contacts` ORDER BY 1, 2, 3;--> statement-breakpoint
INSERT INTO `contact_phone_keys` SELECT `tenant_id`, `number`, `id` FROM `contact_phones` ORDER BY 1, 2, 3;--> statement-breakpoint
DROP INDEX `contact_emails_tenant_email_idx`;--> statement-breakpoint
DROP INDEX `contact_phones_tenant_number_idx`;--> statement-breakpoint
DROP INDEX `contacts_tenant_name_idx`;--> statement-breakpoint
-- The keys follow their rows. A row inserted through the import's bulk writer is the one
-- exception: that connection's atende_keys_now() is 0, and the import files its keys itself.
CREATE TRIGGER `contacts_name_key_insert` AFTER INSERT ON `contacts` WHEN atende_keys_now() BEGIN
	INSERT OR IGNORE INTO `contact_name_keys` VALUES (NEW.`tenant_id`, NEW.`name_key`, NEW.`id`);
END;--> statement-breakpoint
CREATE TRIGGER `contacts_name_key_update` AFTER UPDATE OF `tenant_id`, `name_key` ON `contacts` BEGIN
	DELETE FROM `contact_name_keys` WHERE `tenant_id` = OLD.`tenant_id` AND `name_key` = OLD.`name_key` AND `contact_id` = OLD.`id`;
	INSERT OR IGNORE INTO `contact_name_keys` VALUES (NEW.`tenant_id`, NEW.`name_key`, NEW.`id`);
END;--> statement-breakpoint
CREATE TRIGGER `contacts_name_key_delete` AFTER DELETE ON `contacts` BEGIN
	DELETE FROM `contact_name_keys` WHERE `tenant_id` = OLD.`tenant_id` AND `name_key` = OLD.`name_key` AND `contact_id` = OLD.`id`;
END;--> statement-breakpoint
CREATE TRIGGER `contact_phones_key_insert` AFTER INSERT ON `contact_phones` WHEN atende_keys_now() BEGIN
	INSERT OR IGNORE INTO `contact_phone_keys` VALUES (NEW.`tenant_id`, NEW.`number`, NEW.`id`);
END;--> statement-breakpoint
CREATE TRIGGER `contact_phones_key_update` AFTER UPDATE OF `tenant_id`, `number` ON `contact_phones` BEGIN
	DELETE FROM `contact_phone_keys` WHERE `tenant_id` = OLD.`tenant_id` AND `number` = OLD.`number` AND `phone_id` = OLD.`id`;
	INSERT OR IGNORE INTO `contact_phone_keys` VALUES (NEW.`tenant_id`, NEW.`number`, NEW.`id`);
END;--> statement-breakpoint
CREATE TRIGGER `contact_phones_key_delete` AFTER DELETE ON `contact_phones` BEGIN
	DELETE FROM `contact_phone_keys` WHERE `tenant_id` = OLD.`tenant_id` AND `number` = OLD.`number` AND `phone_id` = OLD.`id`;
END;--> statement-breakpoint
CREATE TRIGGER `contact_emails_key_insert` AFTER INSERT ON `contact_emails` WHEN atende_keys_now() BEGIN
	INSERT OR IGNORE INTO `contact_email_keys` VALUES (NEW.`tenant_id`, NEW.`email`, NEW.`id`);
END;--> statement-breakpoint
CREATE TRIGGER `contact_emails_key_update` AFTER UPDATE OF `tenant_id`, `email` ON `contact_emails` BEGIN
	DELETE FROM `contact_email_keys` WHERE `tenant_id` = OLD.`tenant_id` AND `email` = OLD.`email` AND `email_id` = OLD.`id`;
	INSERT OR IGNORE INTO `contact_email_keys` VALUES (NEW.`tenant_id`, NEW.`email`, NEW.`id`);
END;--> statement-breakpoint
CREATE TRIGGER `contact_emails_key_delete` AFTER DELETE ON `contact_emails` BEGIN
	DELETE FROM `contact_email_keys` WHERE `tenant_id` = OLD.`tenant_id` AND `email` = OLD.`email` AND `email_id` = OLD.`id`;
END;
