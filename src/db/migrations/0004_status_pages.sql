CREATE TABLE `status_page_monitors` (
	`page_id` text NOT NULL,
	`monitor_id` text NOT NULL,
	`position` integer NOT NULL,
	`display_name` text,
	PRIMARY KEY(`page_id`, `monitor_id`),
	FOREIGN KEY (`page_id`) REFERENCES `status_pages`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`monitor_id`) REFERENCES `monitors`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `status_page_monitors_monitor_idx` ON `status_page_monitors` (`monitor_id`);--> statement-breakpoint
CREATE TABLE `status_pages` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`slug` text NOT NULL,
	`title` text NOT NULL,
	`description` text,
	`show_urls` integer DEFAULT false NOT NULL,
	`show_reasons` integer DEFAULT false NOT NULL,
	`frame_ancestors` text DEFAULT '' NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `status_pages_slug_unique` ON `status_pages` (`slug`);--> statement-breakpoint
CREATE INDEX `status_pages_account_idx` ON `status_pages` (`account_id`);