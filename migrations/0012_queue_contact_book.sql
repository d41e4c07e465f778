ALTER TABLE `queues` ADD `contact_book_id` integer REFERENCES contact_books(id);--> statement-breakpoint
ALTER TABLE `queues` ADD `require_tabulation` integer DEFAULT false NOT NULL;