ALTER TABLE `monitors` ADD `lease_token` text;--> statement-breakpoint
ALTER TABLE `monitors` ADD `lease_until` integer;