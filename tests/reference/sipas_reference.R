# Reference values for chiso's satisfaction statistics (METHODOLOGY M3.3, M3.5),
# computed with R's survey package. Builds small survey datasets from a fixed
# seed, writes them as CSV, reads them back (so R and the C tests use exactly
# the same numbers) and writes what survey computes for them.
#
# Run from the repository root:  Rscript tests/reference/sipas_reference.R
# Writes tests/reference/{data_clustered,data_stratified,data_lonely}.csv,
# svy_expected.csv and ci_expected.csv. The unit tests test_svy and test_ci
# compare chiso against these files to 1e-6; R is not needed to run them.

suppressMessages(library(survey))

out_dir <- "tests/reference"
if (!dir.exists(out_dir)) stop("run from the repository root")

RNGkind("Mersenne-Twister", "Inversion", "Rejection")
set.seed(20240517)

num <- function(x) {
	ifelse(is.na(x), ifelse(is.nan(x), "NaN", "NA"),
	       ifelse(is.infinite(x), ifelse(x > 0, "Inf", "-Inf"), sprintf("%.17g", x)))
}

# A 1-5 rating from a latent score; "satisfied" is 4 or 5 (M3.2).
rating <- function(latent) {
	as.integer(cut(latent, c(-Inf, -1.6, -0.9, -0.1, 0.9, Inf)))
}

items <- c("y1", "y2", "y3", "y4")

# Item answers for n respondents with latent level mu; each item blank with
# probability pmiss (a "don't know" is not a valid answer, M3.2).
answers <- function(mu, pmiss) {
	n <- length(mu)
	d <- data.frame(score = rating(mu + rnorm(n, 0, 0.9)))
	for (k in seq_along(items)) {
		r <- rating(mu + 0.25 * (k - 2) + rnorm(n, 0, 0.9))
		y <- as.integer(r >= 4)
		y[runif(n) < pmiss[k]] <- NA
		d[[items[k]]] <- y
	}
	d$score[runif(n) < 0.03] <- NA
	d
}

## Dataset 1: stratified two-stage cluster sample with unequal weights.
## Stratum S4 is a census of its PSUs (fpc 4 of 4), so it adds no variance.
gen_clustered <- function() {
	strata <- data.frame(stratum = c("S1", "S2", "S3", "S4"),
			     npsu = c(3, 5, 7, 4), Npsu = c(10, 12, 40, 4))
	rows <- list()
	for (h in seq_len(nrow(strata))) {
		for (j in seq_len(strata$npsu[h])) {
			m <- sample(20:80, 1)
			Mi <- m * sample(5:15, 1)
			base <- strata$Npsu[h] / strata$npsu[h] * Mi / m
			unit <- sample(c("U1", "U2", "U3", "U4", "U5", "U6"), m, replace = TRUE,
				       prob = c(3, 2, 2, 1, 1, 1) + h %% 2)
			mu <- 0.5 + rnorm(1, 0, 0.5) + 0.3 * (unit == "U2") - 0.4 * (unit == "U4")
			a <- answers(mu, c(0.03, 0.06, 0.1, 0.05))
			rows[[length(rows) + 1]] <- data.frame(
				stratum = strata$stratum[h],
				psu = sprintf("%s-P%02d", strata$stratum[h], j),
				w = round(base * runif(m, 0.7, 1.3), 4),
				fpc_pop = strata$Npsu[h],
				fpc_frac = round(strata$npsu[h] / strata$Npsu[h], 6),
				unit = unit, a)
		}
	}
	d <- do.call(rbind, rows)
	# Edge domains: U6 never satisfied on y4 (p = 0), U5 always satisfied on
	# y3 (p = 1), U7 one respondent in one PSU (no degrees of freedom).
	d$y4[d$unit == "U6" & !is.na(d$y4)] <- 0L
	d$y3[d$unit == "U5" & !is.na(d$y3)] <- 1L
	d$unit[5] <- "U7"
	d$id <- seq_len(nrow(d))
	d[, c("id", "stratum", "psu", "w", "fpc_pop", "fpc_frac", "unit", "score", items)]
}

## Dataset 2: stratified simple random sample (no clusters), weights N_h/n_h
## adjusted for nonresponse.
gen_stratified <- function() {
	strata <- data.frame(stratum = c("A", "B", "C"), n = c(150, 250, 400),
			     N = c(2000, 5000, 3000))
	rows <- list()
	for (h in seq_len(nrow(strata))) {
		n <- strata$n[h]
		unit <- sample(c("U1", "U2", "U3", "U4"), n, replace = TRUE)
		mu <- 0.4 + 0.2 * h + 0.5 * (unit == "U3") - 0.3 * (unit == "U1") + rnorm(n, 0, 0.3)
		a <- answers(mu, c(0.02, 0.04, 0.08, 0.12))
		rows[[h]] <- data.frame(
			stratum = strata$stratum[h], psu = "",
			w = round(strata$N[h] / n * runif(n, 0.8, 1.2), 4),
			fpc_pop = strata$N[h], fpc_frac = round(n / strata$N[h], 6),
			unit = unit, a)
	}
	d <- do.call(rbind, rows)
	d$id <- seq_len(nrow(d))
	d$psu <- sprintf("R%04d", d$id)
	d[, c("id", "stratum", "psu", "w", "fpc_pop", "fpc_frac", "unit", "score", items)]
}

## Dataset 3: a clustered design where strata L1 and L4 have a single PSU.
## Domain U2 never reaches L1 or L4.
gen_lonely <- function() {
	plan <- data.frame(stratum = c("L1", "L2", "L2", "L2", "L3", "L3", "L3", "L3", "L4"),
			   Npsu = c(5, 9, 9, 9, 20, 20, 20, 20, 3))
	rows <- list()
	for (i in seq_len(nrow(plan))) {
		m <- sample(15:40, 1)
		h <- plan$stratum[i]
		unit <- if (h %in% c("L1", "L4")) rep("U1", m) else
			sample(c("U1", "U2"), m, replace = TRUE)
		mu <- 0.6 + rnorm(1, 0, 0.6) + 0.2 * (unit == "U2")
		a <- answers(mu, c(0.04, 0.04, 0.04, 0.04))
		rows[[i]] <- data.frame(stratum = h, psu = sprintf("%s-Q%d", h, i),
					w = round(plan$Npsu[i] * runif(m, 5, 9), 4),
					fpc_pop = plan$Npsu[i], fpc_frac = 0, unit = unit, a)
	}
	d <- do.call(rbind, rows)
	d$id <- seq_len(nrow(d))
	d[, c("id", "stratum", "psu", "w", "fpc_pop", "fpc_frac", "unit", "score", items)]
}

write_data <- function(d, name) {
	path <- file.path(out_dir, name)
	write.csv(d, path, row.names = FALSE, na = "", quote = FALSE)
	read.csv(path, stringsAsFactors = FALSE, na.strings = "")
}

data <- list(
	clustered = write_data(gen_clustered(), "data_clustered.csv"),
	stratified = write_data(gen_stratified(), "data_stratified.csv"),
	lonely = write_data(gen_lonely(), "data_lonely.csv"))

for (nm in names(data)) {
	d <- data[[nm]]
	for (k in items) {
		d[[paste0("a_", k)]] <- ifelse(is.na(d[[k]]), 0, d[[k]])
		d[[paste0("b_", k)]] <- as.numeric(!is.na(d[[k]]))
	}
	data[[nm]] <- d
}

# The designs: which columns play which role. The C test has the same table.
designs <- list(
	list(name = "clu_fpcpop", data = "clustered", strata = TRUE, psu = TRUE, w = TRUE, fpc = "fpc_pop"),
	list(name = "clu_fpcfrac", data = "clustered", strata = TRUE, psu = TRUE, w = TRUE, fpc = "fpc_frac"),
	list(name = "clu_nofpc", data = "clustered", strata = TRUE, psu = TRUE, w = TRUE, fpc = NULL),
	list(name = "clu_nostrata", data = "clustered", strata = FALSE, psu = TRUE, w = TRUE, fpc = NULL),
	list(name = "str_fpcfrac", data = "stratified", strata = TRUE, psu = FALSE, w = TRUE, fpc = "fpc_frac"),
	list(name = "str_fpcpop", data = "stratified", strata = TRUE, psu = FALSE, w = TRUE, fpc = "fpc_pop"),
	list(name = "srs_weighted", data = "stratified", strata = FALSE, psu = FALSE, w = TRUE, fpc = NULL),
	list(name = "srs", data = "stratified", strata = FALSE, psu = FALSE, w = FALSE, fpc = NULL),
	list(name = "lonely", data = "lonely", strata = TRUE, psu = TRUE, w = TRUE, fpc = "fpc_pop"))

make_design <- function(spec) {
	d <- data[[spec$data]]
	suppressWarnings(svydesign(
		ids = if (spec$psu) ~psu else ~1,
		strata = if (spec$strata) ~stratum else NULL,
		weights = if (spec$w) ~w else NULL,
		fpc = if (is.null(spec$fpc)) NULL else as.formula(paste0("~", spec$fpc)),
		nest = TRUE, data = d))
}

ci_of <- function(x) as.numeric(attr(x, "ci"))

na_row <- list(n = NA, wsum = NA, mean = NA, se = NA, df = NA, deff = NA, deff_replace = NA,
	       logit_lo = NA, logit_hi = NA, logitinf_lo = NA, logitinf_hi = NA,
	       mean_lo = NA, mean_hi = NA, beta_lo = NA, beta_hi = NA)

# One variable over one domain: svymean on the domain subset with the blanks
# left out (the same as svyby(..., na.rm = TRUE), checked below), and
# svyciprop's intervals for 0/1 variables.
one_var <- function(des, keep, var, level) {
	keep <- keep & !is.na(des$variables[[var]])
	r <- na_row
	r$n <- sum(keep)
	if (r$n == 0) return(c(list(status = "empty"), r))
	sub <- des[keep, ]
	f <- as.formula(paste0("~", var))
	m <- try(svymean(f, sub, deff = TRUE), silent = TRUE)
	if (inherits(m, "try-error")) return(c(list(status = "error"), r))
	mr <- suppressWarnings(svymean(f, sub, deff = "replace"))
	r$wsum <- sum(weights(sub))
	r$mean <- coef(m)[[1]]
	r$se <- SE(m)[[1]]
	r$df <- degf(sub)
	r$deff <- suppressWarnings(as.numeric(deff(m)))
	r$deff_replace <- as.numeric(deff(mr))
	if (var != "score") {
		cl <- suppressWarnings(svyciprop(f, sub, method = "logit", level = level))
		ci <- ci_of(cl)
		r$logit_lo <- ci[1]; r$logit_hi <- ci[2]
		# The closed form chiso uses: the Wald interval on the logit scale
		# with the delta-method standard error and t(df) quantiles. svyciprop
		# gets there through svyglm's iterative fit, which stops about 1e-9
		# short of the exact logit, hence the tolerance.
		p <- r$mean
		if (p > 0 && p < 1 && r$df > 0) {
			h <- qt(1 - (1 - level) / 2, r$df) * r$se / (p * (1 - p))
			stopifnot(abs(plogis(qlogis(p) - h) - ci[1]) < 1e-7,
				  abs(plogis(qlogis(p) + h) - ci[2]) < 1e-7,
				  abs(coef(cl)[[1]] - p) < 1e-7)
		}
		ci <- ci_of(suppressWarnings(svyciprop(f, sub, method = "logit", level = level, df = Inf)))
		r$logitinf_lo <- ci[1]; r$logitinf_hi <- ci[2]
		ci <- ci_of(suppressWarnings(svyciprop(f, sub, method = "mean", level = level)))
		r$mean_lo <- ci[1]; r$mean_hi <- ci[2]
		ci <- ci_of(suppressWarnings(svyciprop(f, sub, method = "beta", level = level)))
		r$beta_lo <- ci[1]; r$beta_hi <- ci[2]
	}
	c(list(status = "ok"), r)
}

# The element index over items y1..y3 (M3.3: the mean of the item indices,
# each over its own valid answers) with its linearised variance (M3.5): the
# delta method on the totals of y_k and of the valid-answer indicators, over
# the respondents of the domain with at least one valid item.
one_element <- function(des, keep, its, level) {
	anyvalid <- Reduce(`|`, lapply(its, function(k) !is.na(des$variables[[k]])))
	keep <- keep & anyvalid
	r <- na_row
	r$n <- sum(keep)
	if (r$n == 0) return(c(list(status = "empty"), r))
	sub <- des[keep, ]
	f <- as.formula(paste("~", paste(c(paste0("a_", its), paste0("b_", its)), collapse = "+")))
	tot <- try(svytotal(f, sub), silent = TRUE)
	if (inherits(tot, "try-error")) return(c(list(status = "error"), r))
	ratios <- paste0("a_", its, "/b_", its)
	expr <- parse(text = sprintf("(%s)/%d", paste(ratios, collapse = "+"), length(its)))[[1]]
	sc <- svycontrast(tot, expr)
	r$wsum <- sum(weights(sub))
	r$mean <- coef(sc)[[1]]
	r$se <- SE(sc)[[1]]
	r$df <- degf(sub)
	p <- r$mean
	if (p > 0 && p < 1 && r$df > 0) {
		h <- qt(1 - (1 - level) / 2, r$df) * r$se / (p * (1 - p))
		r$logit_lo <- plogis(qlogis(p) - h); r$logit_hi <- plogis(qlogis(p) + h)
	}
	# Without blanks the element index is the mean of the per-respondent
	# item averages, a plain svymean.
	if (all(sapply(its, function(k) !anyNA(des$variables[[k]][keep])))) {
		des2 <- update(sub, .avg = rowMeans(do.call(cbind, lapply(its, function(k) sub$variables[[k]]))))
		stopifnot(abs(coef(svymean(~.avg, des2))[[1]] - p) < 1e-12)
	}
	c(list(status = "ok"), r)
}

results <- list()
add <- function(design, lonely, level, domain, target, r) {
	results[[length(results) + 1]] <<- c(list(design = design, lonely = lonely, level = level,
						domain = domain, target = target), r)
}

runs <- list()
for (spec in designs) {
	rules <- if (spec$name == "lonely") c("fail", "certainty", "remove", "adjust", "average") else "fail"
	for (rule in rules) {
		levels <- if (spec$name == "clu_fpcpop") c(0.95, 0.90) else 0.95
		for (level in levels) runs[[length(runs) + 1]] <- list(spec = spec, rule = rule, level = level)
	}
}

for (run in runs) {
	spec <- run$spec
	options(survey.lonely.psu = run$rule)
	des <- make_design(spec)
	v <- des$variables
	domains <- c("ALL", sort(unique(v$unit)))
	for (dom in domains) {
		keep <- if (dom == "ALL") rep(TRUE, nrow(v)) else v$unit == dom
		for (var in c(items, "score"))
			add(spec$name, run$rule, run$level, dom, var, one_var(des, keep, var, run$level))
		add(spec$name, run$rule, run$level, dom, "element:y1+y2+y3",
		    one_element(des, keep, c("y1", "y2", "y3"), run$level))
	}
	# Domain estimates from svyby agree with those from subset().
	if (run$rule != "fail" || spec$name != "lonely") {
		by <- svyby(~y1, ~unit, des, svymean, na.rm = TRUE)
		mine <- sapply(rownames(by), function(u) {
			r <- Filter(function(x) x$design == spec$name && x$lonely == run$rule &&
					    x$level == run$level && x$domain == u && x$target == "y1", results)
			c(r[[1]]$mean, r[[1]]$se)
		})
		stopifnot(max(abs(coef(by) - mine[1, ])) < 1e-12, max(abs(SE(by) - mine[2, ])) < 1e-12)
	}
}
options(survey.lonely.psu = "fail")

cols <- c("design", "lonely", "level", "domain", "target", "status", names(na_row))
lines <- sapply(results, function(r) {
	paste(c(r$design, r$lonely, sprintf("%.2f", r$level), r$domain, r$target, r$status,
		sapply(names(na_row), function(k) num(r[[k]]))), collapse = ",")
})
writeLines(c(paste(cols, collapse = ","), lines), file.path(out_dir, "svy_expected.csv"))

## Unweighted intervals: Wilson score (prop.test without continuity
## correction) and Clopper-Pearson (binom.test).
cases <- data.frame(
	s = c(8, 0, 10, 1, 0, 50, 3, 917, 12345, 1, 99999, 29, 7, 400, 2),
	n = c(10, 10, 10, 1, 1, 100, 7, 1000, 20000, 100000, 100000, 30, 7, 500, 3))
ci_lines <- "s,n,level,wilson_lo,wilson_hi,cp_lo,cp_hi"
for (level in c(0.95, 0.90, 0.99)) {
	for (i in seq_len(nrow(cases))) {
		s <- cases$s[i]; n <- cases$n[i]
		w <- suppressWarnings(prop.test(s, n, conf.level = level, correct = FALSE))$conf.int
		cp <- binom.test(s, n, conf.level = level)$conf.int
		ci_lines <- c(ci_lines, paste(c(s, n, sprintf("%.2f", level),
						num(w[1]), num(w[2]), num(cp[1]), num(cp[2])), collapse = ","))
	}
}
writeLines(ci_lines, file.path(out_dir, "ci_expected.csv"))

cat("R", paste(R.version$major, R.version$minor, sep = "."), "survey",
    as.character(packageVersion("survey")), "\n")
cat(length(results), "survey rows,", length(ci_lines) - 1, "interval rows\n")
