CREATE TABLE `job_cursors` (
	`job` text PRIMARY KEY NOT NULL,
	`cursor` text,
	`finished_at` integer,
	`updated_at` integer NOT NULL
);
