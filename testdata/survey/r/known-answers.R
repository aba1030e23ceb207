# Known answers for Veilig's survey estimator (issue 24), computed with R's survey package
# on the California API data in this folder (apiclus2.csv is written from survey's data(api)
# by this script). Run from testdata/survey:  Rscript r/known-answers.R > r/known-answers.txt
# Made with R 4.2.2 and survey 4.1.1 (Debian bookworm's r-cran-survey).
suppressMessages(library(survey))
options(digits = 12)
say <- function(key, x) cat(sprintf("%s %.12g\n", key, as.numeric(x)))
est <- function(key, e) { say(paste0(key, ".estimate"), coef(e)[1]); say(paste0(key, ".se"), SE(e)[1]) }

apiclus1 <- read.csv("apiclus1.csv", row.names = 1)
dclus1 <- svydesign(id = ~dnum, weights = ~pw, fpc = ~fpc, data = apiclus1)
pop.types <- data.frame(stype = c("E", "H", "M"), Freq = c(4421, 755, 1018))

# P1: post-stratification of the one-stage cluster sample on school type.
dclus1p <- postStratify(dclus1, ~stype, pop.types)
est("post.mean_api00", svymean(~api00, dclus1p))
est("post.total_enroll", svytotal(~enroll, dclus1p))

# C1: linear calibration (GREG) on school type and api99 (population totals from apipop).
pop.totals <- c(`(Intercept)` = 6194, stypeH = 755, stypeM = 1018, api99 = 3914069)
dclus1g <- calibrate(dclus1, ~stype + api99, pop.totals)
est("cal.mean_api00", svymean(~api00, dclus1g))
est("cal.total_enroll", svytotal(~enroll, dclus1g))
w <- weights(dclus1g)
say("cal.weights.min", min(w)); say("cal.weights.max", max(w)); say("cal.weights.sum", sum(w))
say("cal.weights.first", w[1])

# T1: trimming the calibrated weights to [20, 45] (trimWeights keeps the total).
dclus1t <- trimWeights(dclus1g, lower = 20, upper = 45)
est("trim.mean_api00", svymean(~api00, dclus1t))
wt <- weights(dclus1t)
say("trim.weights.min", min(wt)); say("trim.weights.max", max(wt)); say("trim.weights.sum", sum(wt))
dclus1tt <- trimWeights(dclus1g, lower = 20, upper = 45, strict = TRUE)
est("trim_strict.mean_api00", svymean(~api00, dclus1tt))
wtt <- weights(dclus1tt)
say("trim_strict.weights.min", min(wtt)); say("trim_strict.weights.max", max(wtt))

# S2: a two-stage cluster sample with a finite-population correction at each stage.
data(api)
write.csv(apiclus2, "apiclus2.csv")
dclus2 <- svydesign(id = ~dnum + snum, fpc = ~fpc1 + fpc2, data = apiclus2)
say("two_stage.df", degf(dclus2))
est("two_stage.mean_api00", svymean(~api00, dclus2))
est("two_stage.total_api00", svytotal(~api00, dclus2))
est("two_stage.mean_ell", svymean(~ell, dclus2))

# D1: the difference of api00 between schools with and without sch.wide, in one sample,
# with the design covariance; and the naive combination of the two domain SEs.
b <- svyby(~api00, ~sch.wide, dclus1, svymean, covmat = TRUE)
say("domain.no.estimate", coef(b)["No"]); say("domain.no.se", SE(b)[1])
say("domain.yes.estimate", coef(b)["Yes"]); say("domain.yes.se", SE(b)[2])
ct <- svycontrast(b, c(No = -1, Yes = 1))
est("contrast.yes_minus_no", ct)
say("contrast.naive_se", sqrt(sum(SE(b)^2)))

# Q1: the median (and quartiles) of api00 with Woodruff intervals (qrule "math", the default).
q <- svyquantile(~api00, dclus1, quantiles = c(0.25, 0.5, 0.75), ci = TRUE)
for (i in 1:3) {
  k <- c("q25", "median", "q75")[i]
  say(paste0(k, ".estimate"), q$api00[i, 1]); say(paste0(k, ".ci_low"), q$api00[i, 2])
  say(paste0(k, ".ci_high"), q$api00[i, 3]); say(paste0(k, ".se"), q$api00[i, 4])
}

# R1: the delete-one-cluster jackknife (JK1) of the one-stage cluster sample.
rclus1 <- as.svrepdesign(dclus1, type = "JK1")
est("jk1.mean_api00", svymean(~api00, rclus1))
est("jk1.total_enroll", svytotal(~enroll, rclus1))
rclus1p <- postStratify(rclus1, ~stype, pop.types)
est("jk1_post.mean_api00", svymean(~api00, rclus1p))
