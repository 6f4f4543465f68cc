# R commands behind the R reference values quoted in tests/stats (audit of 2026-11-26).
# Run with R 4.2.2 (Debian r-base-core 4.2.2.20221110-2) and psych 2.2.9 (r-cran-psych).
# Not used by the test suite; kept so that every R value can be regenerated:
#   Rscript tests/reference/stats/r_checks.R
# The pingouin data sets are exported first with:
#   python -c "import pingouin as pg; pg.read_dataset('anova').to_csv('/tmp/anova.csv', index=False)"
#   python -c "import pingouin as pg; d = pg.read_dataset('cronbach_alpha'); \
#     d.pivot(index='Subj', columns='Items', values='Scores').to_csv('/tmp/cronbach.csv', index=False)"
options(digits = 10)
suppressPackageStartupMessages(library(psych))

# test_change.py: Student's sleep data, paired t-test
print(sleep)
print(with(sleep, t.test(extra[group == 2], extra[group == 1], paired = TRUE)))

# test_reliability.py: published one-factor ML example of ?ability.cov, and omega from it
print(ability.cov)
fa1 <- factanal(factors = 1, covmat = ability.cov)
print(fa1)
l <- fa1$loadings[, 1]; u <- fa1$uniquenesses
print(l); print(u)
cat("omega = (sum l)^2 / ((sum l)^2 + sum u) =", sum(l)^2 / (sum(l)^2 + sum(u)), "\n")

# test_agreement.py: Shrout & Fleiss (1979) Table 2 data
sf <- matrix(c(9,2,5,8, 6,1,3,2, 8,4,6,8, 7,1,2,6, 10,5,6,9, 6,2,4,7), ncol = 4, byrow = TRUE)
print(ICC(sf, lmer = FALSE)$results, digits = 8)

# test_reliability.py: Cronbach's alpha on pingouin's cronbach_alpha data
if (file.exists("/tmp/cronbach.csv")) {
  a <- psych::alpha(read.csv("/tmp/cronbach.csv"), check.keys = FALSE)
  print(a$total); print(a$feldt)
}

# test_colleges.py: pain threshold by hair colour (pingouin's anova data)
if (file.exists("/tmp/anova.csv")) {
  d <- read.csv("/tmp/anova.csv", check.names = FALSE)
  names(d) <- c("Subject", "Hair", "Pain")
  print(summary(aov(Pain ~ Hair, data = d)))
  print(oneway.test(Pain ~ Hair, data = d))
  print(kruskal.test(Pain ~ Hair, data = d))
  print(TukeyHSD(aov(Pain ~ Hair, data = d)))
}
