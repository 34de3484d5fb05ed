ALTER TABLE `monitors` ADD `next_check_at` integer;--> statement-breakpoint
CREATE INDEX `monitors_shard_due_idx` ON `monitors` (`id`,`next_check_at`);