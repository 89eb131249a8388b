# Reference values for chiso's satisfaction indices over domains (METHODOLOGY
# M3.3 item, element and overall indices; M3.4 domains and roll-up through
# the unit tree; M3.5 intervals; M3.6 the "below the unit's own index" test),
# computed with R's survey package.
#
# Run from the repository root:  Rscript tests/reference/sipas_domains.R
# Writes tests/reference/data_domains.csv and sipas_domains_expected.csv.
# tests/unit/test_sipas.c compares chiso against them to 1e-6; R is not
# needed to run the tests.

suppressMessages(library(survey))

out_dir <- "tests/reference"
if (!dir.exists(out_dir)) stop("run from the repository root")

RNGkind("Mersenne-Twister", "Inversion", "Rejection")
set.seed(20240611)

num <- function(x) {
	ifelse(is.na(x), ifelse(is.nan(x), "NaN", "NA"),
	       ifelse(is.infinite(x), ifelse(x > 0, "Inf", "-Inf"), sprintf("%.17g", x)))
}

rating <- function(latent) as.integer(cut(latent, c(-Inf, -1.6, -0.9, -0.1, 0.9, Inf)))

## The unit tree (M1): a province P with its own respondents, districts D1
## and D2, communes C11 and C12 under D1 and C21 under D2.
units <- data.frame(code = c("P", "D1", "D2", "C11", "C12", "C21"),
		    parent = c(NA, "P", "P", "D1", "D1", "D2"),
		    level = c("province", "district", "district", "commune", "commune", "commune"),
		    mu = c(0.9, 0.3, 0.6, -0.2, 0.5, 0.1), share = c(0.1, 0.15, 0.15, 0.25, 0.2, 0.15))
subtree <- function(code) {
	out <- code
	kids <- units$code[!is.na(units$parent) & units$parent %in% code]
	while (length(kids)) {
		out <- c(out, kids)
		kids <- units$code[!is.na(units$parent) & units$parent %in% kids]
	}
	out
}

## Respondents: a stratified cluster sample whose PSUs cut across units.
n <- 1500
strata <- data.frame(stratum = c("S1", "S2", "S3", "S4"), npsu = c(6, 8, 5, 7),
		     Npsu = c(30, 40, 25, 70), base = c(80, 120, 60, 150))
d <- data.frame(id = sprintf("R%04d", 1:n))
d$stratum <- sample(strata$stratum, n, replace = TRUE, prob = c(0.2, 0.3, 0.2, 0.3))
si <- match(d$stratum, strata$stratum)
d$psu <- sprintf("%s-P%d", d$stratum, sapply(strata$npsu[si], function(k) sample.int(k, 1)))
d$w <- round(strata$base[si] * runif(n, 0.6, 1.4), 3)
d$fpc <- strata$Npsu[si]
d$unit <- sample(units$code, n, replace = TRUE, prob = units$share)
d$channel <- sample(c("online", "paper", "kiosk"), n, replace = TRUE, prob = c(0.5, 0.3, 0.2))
mu <- units$mu[match(d$unit, units$code)] + rnorm(n, 0, 0.6)
items <- c("a1", "a2", "b1", "b2", "b3")
shift <- c(0.2, -0.3, 0.1, -0.1, 0.3)
pmiss <- c(0.04, 0.08, 0.03, 0.10, 0.06)
for (k in seq_along(items)) {
	r <- rating(mu + shift[k] + rnorm(n, 0, 0.9))
	r[runif(n) < pmiss[k]] <- NA
	d[[items[k]]] <- r
}
d$g <- rating(mu + rnorm(n, 0, 0.8))
d$g[runif(n) < 0.05] <- NA
# The expectation (M3.6): any of p, q, r, or no answer.
pick <- function() {
	s <- c("p", "q", "r")[runif(3) < c(0.5, 0.3, 0.2)]
	if (length(s) == 0 || runif(1) < 0.1) NA_character_ else paste(s, collapse = ";")
}
d$x <- sapply(1:n, function(i) pick())

out <- d[, c("id", "unit", "stratum", "psu", "w", "fpc", "channel", items, "g", "x")]
write.csv(out, file.path(out_dir, "data_domains.csv"), row.names = FALSE, na = "", quote = FALSE)
d <- read.csv(file.path(out_dir, "data_domains.csv"), stringsAsFactors = FALSE,
	      na.strings = "")

## Derived variables: satisfied indicators (4 or 5, M3.2), the a_/b_ pairs
## of the delta method, and the pooled counts per element and overall.
elements <- list(E1 = c("a1", "a2"), E2 = c("b1", "b2", "b3"))
for (k in c(items, "g")) {
	d[[paste0("y_", k)]] <- ifelse(is.na(d[[k]]), NA, as.integer(d[[k]] >= 4))
	d[[paste0("a_", k)]] <- ifelse(is.na(d[[k]]), 0, as.integer(d[[k]] >= 4))
	d[[paste0("b_", k)]] <- as.integer(!is.na(d[[k]]))
}
for (e in names(elements)) {
	d[[paste0("Y_", e)]] <- rowSums(d[, paste0("a_", elements[[e]])])
	d[[paste0("X_", e)]] <- rowSums(d[, paste0("b_", elements[[e]])])
}
d$Y_all <- d$Y_E1 + d$Y_E2
d$X_all <- d$X_E1 + d$X_E2
d$level <- units$level[match(d$unit, units$code)]

designs <- list(
	clustered = function(d) svydesign(ids = ~psu, strata = ~stratum, weights = ~w, fpc = ~fpc,
					  nest = TRUE, data = d),
	stratified = function(d) svydesign(ids = ~1, strata = ~stratum, weights = ~w, data = d),
	srs = function(d) svydesign(ids = ~1, data = d))

level <- 0.95
results <- list()
add <- function(design, by, code, target, vals) {
	results[[length(results) + 1]] <<- c(list(design = design, by = by, domain = code,
						target = target), vals)
}
logit_ci <- function(p, se, df) {
	if (!(p > 0 && p < 1) || df <= 0) return(c(p, p))
	h <- qt(1 - (1 - level) / 2, df) * se / (p * (1 - p))
	c(plogis(qlogis(p) - h), plogis(qlogis(p) + h))
}
row <- function(n, mean, se, df, lo, hi, deff = NA) {
	list(n = n, mean = mean, se = se, df = df, deff = deff, ci_lo = lo, ci_hi = hi)
}

# A contrast of totals over the respondents kept: the linearised estimate of
# an expression in a_k / b_k ratios (M3.5).
contrast <- function(des, keep, vars, expr) {
	sub <- des[keep, ]
	tot <- svytotal(as.formula(paste("~", paste(vars, collapse = "+"))), sub)
	sc <- svycontrast(tot, parse(text = expr)[[1]])
	list(sub = sub, mean = coef(sc)[[1]], se = SE(sc)[[1]], df = degf(sub), n = sum(keep))
}

mean_expr <- function(its) sprintf("(%s)/%d", paste0("a_", its, "/b_", its, collapse = "+"),
				   length(its))
overall_expr <- sprintf("(%s)/%d", paste(sapply(elements, mean_expr), collapse = "+"),
			length(elements))
ab <- function(its) c(paste0("a_", its), paste0("b_", its))

domain_rows <- function(dname, des, by, code, keep, unweighted) {
	v <- des$variables
	# Items (M3.3) with their intervals (M3.5): logit on the design, Wilson
	# (prop.test without continuity correction) for an unweighted sample.
	for (k in c(items, "g")) {
		kk <- keep & !is.na(v[[k]])
		sub <- des[kk, ]
		f <- as.formula(paste0("~y_", k))
		m <- svymean(f, sub, deff = "replace")
		p <- coef(m)[[1]]; se <- SE(m)[[1]]; df <- degf(sub)
		ci <- logit_ci(p, se, df)
		if (unweighted) {
			s <- sum(v[[paste0("y_", k)]][kk])
			ci <- as.numeric(prop.test(s, sum(kk), correct = FALSE, conf.level = level)$conf.int)
		} else if (p > 0 && p < 1) {
			cl <- svyciprop(f, sub, method = "logit", level = level)
			stopifnot(max(abs(as.numeric(attr(cl, "ci")) - ci)) < 1e-7)
		}
		add(dname, by, code, if (k == "g") "overall:general" else paste0("item:", k),
		    row(sum(kk), p, se, df, ci[1], ci[2], as.numeric(deff(m))))
		if (k != "g") {
			# The level distribution and mean score (M3.3), weighted.
			w <- weights(sub)
			lv <- v[[k]][kk]
			shares <- sapply(1:5, function(l) sum(w[lv == l]) / sum(w))
			add(dname, by, code, paste0("levels:", k),
			    list(n = sum(kk), mean = sum(w * lv) / sum(w), se = shares[1],
				 df = shares[2], deff = shares[3], ci_lo = shares[4], ci_hi = shares[5]))
		}
	}
	# Element indices: the mean of item indices over the element's
	# respondents, and the pooled ratio (svyratio).
	for (e in names(elements)) {
		its <- elements[[e]]
		kk <- keep & v[[paste0("X_", e)]] > 0
		cr <- contrast(des, kk, ab(its), mean_expr(its))
		ci <- logit_ci(cr$mean, cr$se, cr$df)
		add(dname, by, code, paste0("element:", e), row(cr$n, cr$mean, cr$se, cr$df, ci[1], ci[2]))
		rr <- svyratio(as.formula(paste0("~Y_", e)), as.formula(paste0("~X_", e)), des[kk, ])
		p <- coef(rr)[[1]]; se <- SE(rr)[[1]]; df <- degf(des[kk, ])
		ci <- logit_ci(p, se, df)
		add(dname, by, code, paste0("pooled:", e), row(sum(kk), p, se, df, ci[1], ci[2]))
	}
	kk <- keep & v$X_all > 0
	rr <- svyratio(~Y_all, ~X_all, des[kk, ])
	p <- coef(rr)[[1]]; se <- SE(rr)[[1]]; df <- degf(des[kk, ])
	ci <- logit_ci(p, se, df)
	add(dname, by, code, "overall:pooled", row(sum(kk), p, se, df, ci[1], ci[2]))
	# The mean of the element indices over the respondents with any valid
	# satisfaction answer.
	kk <- keep & v$X_all > 0
	allvars <- ab(items)
	cr <- contrast(des, kk, allvars, overall_expr)
	ci <- logit_ci(cr$mean, cr$se, cr$df)
	add(dname, by, code, "overall:mean_of_elements", row(cr$n, cr$mean, cr$se, cr$df, ci[1], ci[2]))
	# M3.6: "item below the domain's overall index", one-sided p-value of
	# the contrast item - overall on the same respondents.
	for (k in items) {
		cr <- contrast(des, kk, allvars, sprintf("a_%s/b_%s - (%s)", k, k, overall_expr))
		add(dname, by, code, paste0("test:", k),
		    row(cr$n, cr$mean, cr$se, cr$df, pt(cr$mean / cr$se, cr$df), NA))
	}
	# Expectations: the weighted share choosing each option among those
	# who answered (M3.6).
	ans <- keep & !is.na(v$x)
	w <- weights(des)[ans]
	for (ch in c("p", "q", "r")) {
		chosen <- grepl(ch, v$x[ans], fixed = TRUE)
		add(dname, by, code, paste0("expect:", ch),
		    list(n = sum(chosen), mean = sum(w[chosen]) / sum(w), se = NA, df = NA,
			 deff = NA, ci_lo = NA, ci_hi = NA))
	}
}

for (dname in names(designs)) {
	des <- designs[[dname]](d)
	unweighted <- dname == "srs"
	domain_rows(dname, des, "all", "all", rep(TRUE, n), unweighted)
	# M3.4: a unit's domain pools the respondents of its whole subtree.
	for (u in units$code)
		domain_rows(dname, des, "unit", u, d$unit %in% subtree(u), unweighted)
	if (dname == "clustered") {
		for (l in unique(units$level))
			domain_rows(dname, des, "level", l, d$level == l, unweighted)
		for (ch in c("kiosk", "online", "paper"))
			domain_rows(dname, des, "channel", ch, d$channel == ch, unweighted)
	}
}

# The roll-up pools respondents: svyby over the units of a subtree equals
# the subset of the subtree (a check of R against itself).
des <- designs$clustered(d)
des <- update(des, inD1 = d$unit %in% subtree("D1"))
byres <- svyby(~y_a1, ~inD1, des, svymean, na.rm = TRUE)
sub <- des[d$unit %in% subtree("D1") & !is.na(d$y_a1), ]
stopifnot(abs(coef(byres)[["TRUE"]] - coef(svymean(~y_a1, sub))[[1]]) < 1e-12)

tab <- do.call(rbind, lapply(results, function(r) {
	data.frame(design = r$design, by = r$by, domain = r$domain, target = r$target,
		   n = r$n, mean = num(r$mean), se = num(r$se), df = num(r$df), deff = num(r$deff),
		   ci_lo = num(r$ci_lo), ci_hi = num(r$ci_hi), stringsAsFactors = FALSE)
}))
write.csv(tab, file.path(out_dir, "sipas_domains_expected.csv"), row.names = FALSE, quote = FALSE)
cat("wrote", nrow(tab), "rows\n")
