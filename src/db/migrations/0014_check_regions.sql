CREATE TABLE `region_rollups` (
	`monitor_id` text NOT NULL,
	`grain` text NOT NULL,
	`bucket_start` integer NOT NULL,
	`region` text NOT NULL,
	`checks` integer DEFAULT 0 NOT NULL,
	`answered` integer DEFAULT 0 NOT NULL,
	`ok_checks` integer DEFAULT 0 NOT NULL,
	`total_response_ms` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`monitor_id`, `grain`, `bucket_start`, `region`),
	FOREIGN KEY (`monitor_id`) REFERENCES `monitors`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
ALTER TABLE `checks` ADD `regions` text;--> statement-breakpoint
ALTER TABLE `monitors` ADD `regions` text;--> statement-breakpoint
ALTER TABLE `monitors` ADD `failure_quorum` integer;--> statement-breakpoint
ALTER TABLE `monitors` ADD `last_regions` text;