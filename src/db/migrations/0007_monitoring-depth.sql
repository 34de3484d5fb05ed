CREATE TABLE `maintenance_windows` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`name` text NOT NULL,
	`monitor_ids` text,
	`kind` text NOT NULL,
	`starts_at` integer,
	`ends_at` integer,
	`weekday` integer,
	`start_time` text,
	`duration_minutes` integer,
	`time_zone` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `maintenance_account_idx` ON `maintenance_windows` (`account_id`,`created_at`,`id`);--> statement-breakpoint
ALTER TABLE `incidents` ADD `closed_by` text;--> statement-breakpoint
ALTER TABLE `monitors` ADD `kind` text DEFAULT 'http' NOT NULL;--> statement-breakpoint
ALTER TABLE `monitors` ADD `request_headers` text;--> statement-breakpoint
ALTER TABLE `monitors` ADD `request_body` text;--> statement-breakpoint
ALTER TABLE `monitors` ADD `auth_type` text;--> statement-breakpoint
ALTER TABLE `monitors` ADD `auth_sealed` text;--> statement-breakpoint
ALTER TABLE `monitors` ADD `keyword_mode` text DEFAULT 'present' NOT NULL;--> statement-breakpoint
ALTER TABLE `monitors` ADD `keyword_case_sensitive` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `monitors` ADD `degraded_above_ms` integer;--> statement-breakpoint
ALTER TABLE `monitors` ADD `tags` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `monitors` ADD `grace_seconds` integer;--> statement-breakpoint
ALTER TABLE `monitors` ADD `ping_token_hash` text;--> statement-breakpoint
ALTER TABLE `monitors` ADD `last_ping_at` integer;--> statement-breakpoint
ALTER TABLE `monitors` ADD `last_ping_ok` integer;--> statement-breakpoint
ALTER TABLE `monitors` ADD `accrued_until` integer;--> statement-breakpoint
CREATE UNIQUE INDEX `monitors_ping_token_idx` ON `monitors` (`ping_token_hash`);--> statement-breakpoint
ALTER TABLE `rollups` ADD `up_ms` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `rollups` ADD `down_ms` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `rollups` ADD `excluded_ms` integer DEFAULT 0 NOT NULL;