DROP INDEX `monitors_account_idx`;--> statement-breakpoint
CREATE INDEX `monitors_account_created_idx` ON `monitors` (`account_id`,`created_at`,`id`);