# The estimation the benchmark compares chiso with (bench/run): R's survey
# package computing the 22 item indices of every unit with svyby, on the
# same synthetic responses (bench/gen_responses.c), stratified and weighted.
# Prints "read SECONDS", "design SECONDS", "svyby SECONDS" and "rss_mb MB".
#
# Usage: Rscript bench/svyby.R responses.csv

suppressMessages(library(survey))
args <- commandArgs(trailingOnly = TRUE)
t0 <- proc.time()[["elapsed"]]
items <- c(sprintf("E1.%d", 1:4), sprintf("E2.%d", 1:5), sprintf("E3.%d", 1:6),
	   sprintf("E4.%d", 1:3), sprintf("E5.%d", 1:4))
cols <- c("NULL", "character", "NULL", "NULL", "numeric", "character", rep("integer", 22),
	  "NULL", "NULL", "NULL", "NULL")
d <- read.csv(args[1], colClasses = cols, check.names = FALSE)
# Satisfied: level 4 or 5 (METHODOLOGY M3.2); blanks stay NA.
y <- sprintf("y%d", seq_along(items))
for (k in seq_along(items))
	d[[y[k]]] <- as.integer(d[[items[k]]] >= 4)
d <- d[, c("unit", "weight", "stratum", y)]
t1 <- proc.time()[["elapsed"]]
des <- svydesign(ids = ~1, strata = ~stratum, weights = ~weight, data = d)
t2 <- proc.time()[["elapsed"]]
f <- as.formula(paste("~", paste(y, collapse = "+")))
res <- svyby(f, ~unit, des, svymean, na.rm = TRUE)
t3 <- proc.time()[["elapsed"]]
cat(sprintf("read %.2f\ndesign %.2f\nsvyby %.2f\nunits %d\n", t1 - t0, t2 - t1, t3 - t2,
	    nrow(res)))
