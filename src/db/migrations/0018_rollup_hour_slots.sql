PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_rollups` (
	`monitor_id` text NOT NULL,
	`grain` text NOT NULL,
	`bucket_start` integer NOT NULL,
	`slot` integer GENERATED ALWAYS AS (CASE "grain" WHEN 'hour' THEN ("bucket_start" / 3600000) % 2208 ELSE "bucket_start" END) STORED NOT NULL,
	`checks` integer DEFAULT 0 NOT NULL,
	`ok_checks` integer DEFAULT 0 NOT NULL,
	`total_response_ms` integer DEFAULT 0 NOT NULL,
	`up_ms` integer DEFAULT 0 NOT NULL,
	`down_ms` integer DEFAULT 0 NOT NULL,
	`excluded_ms` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`monitor_id`) REFERENCES `monitors`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
-- Each slot keeps its newest hour: an hour more than 92 days older than another of its monitor shares its slot and is no longer read.
INSERT INTO `__new_rollups`("monitor_id", "grain", "bucket_start", "checks", "ok_checks", "total_response_ms", "up_ms", "down_ms", "excluded_ms") SELECT "monitor_id", "grain", "bucket_start", "checks", "ok_checks", "total_response_ms", "up_ms", "down_ms", "excluded_ms" FROM (SELECT *, row_number() OVER (PARTITION BY "monitor_id", "grain", CASE "grain" WHEN 'hour' THEN ("bucket_start" / 3600000) % 2208 ELSE "bucket_start" END ORDER BY "bucket_start" DESC) AS "newest" FROM `rollups`) WHERE "newest" = 1;--> statement-breakpoint
DROP TABLE `rollups`;--> statement-breakpoint
ALTER TABLE `__new_rollups` RENAME TO `rollups`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE UNIQUE INDEX `rollups_slot_idx` ON `rollups` (`monitor_id`,`grain`,`slot`);--> statement-breakpoint
CREATE INDEX `rollups_bucket_idx` ON `rollups` (`monitor_id`,`grain`,`bucket_start`);