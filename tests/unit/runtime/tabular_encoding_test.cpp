// Tests of the table encoding: column choice, kinds, categories, missing-value policies, targets,
// standardization and the hold-out split, on small hand-written tables.
#include "data/tabular_encoding.h"

#include <gtest/gtest.h>

#include <cmath>

#include "data/standardizer.h"
#include "data/validation_split.h"
#include "test_util.h"

namespace mlc {
namespace {

CsvTable parse(const std::string& text) { return parse_csv(text.data(), text.size(), "t.csv"); }

// A model with `inputs` values per sample and `outputs` outputs, class labels or float targets.
ModelMeta model(std::size_t inputs, std::size_t outputs, LossKind loss) {
  ModelMeta m;
  m.batch = 2;
  m.input.dims = {2, inputs};
  m.output.dims = {2, outputs};
  m.loss = loss;
  m.class_labels = loss == LossKind::CrossEntropy || loss == LossKind::Nll;
  return m;
}

TableOptions target(const std::string& name) {
  TableOptions o;
  o.targets = {name};
  return o;
}

const char* kPeople =
    "age,city,income,label\n"
    "30,paris,10,yes\n"
    "40,rome,20,no\n"
    "50,paris,30,yes\n"
    "60,oslo,40,no\n";

TEST(TabularEncoding, NumericAndOneHotFeaturesAndCategoricalClasses) {
  const CsvTable t = parse(kPeople);
  const ModelMeta m = model(5, 2, LossKind::CrossEntropy);
  const TabularEncoding e = fit_encoding(t, {0, 1, 2, 3}, target("label"), m);
  ASSERT_EQ(e.features.size(), 3u);
  EXPECT_FALSE(e.features[0].categorical);
  EXPECT_TRUE(e.features[1].categorical);
  EXPECT_EQ(e.features[1].categories, (std::vector<std::string>{"oslo", "paris", "rome"}));
  EXPECT_EQ(e.feature_width(), 5u);
  EXPECT_EQ(e.numeric_values(), (std::vector<bool>{true, false, false, false, true}));
  EXPECT_EQ(e.class_names(), (std::vector<std::string>{"no", "yes"}));
  EXPECT_EQ(e.describe_features(), "2 numeric, city (3 categories)");

  Split s = encode_table(t, {}, e, m, true, nullptr);
  ASSERT_EQ(s.count, 4u);
  EXPECT_EQ(s.images, (std::vector<float>{30, 0, 1, 0, 10, 40, 0, 0, 1, 20, 50, 0, 1, 0, 30, 60, 1, 0, 0, 40}));
  EXPECT_EQ(s.labels, (std::vector<std::int32_t>{1, 0, 1, 0}));
}

TEST(TabularEncoding, ChosenFeaturesAndForcedCategorical) {
  const CsvTable t = parse("zip,x,y\n75001,1,0.5\n10115,2,1.5\n75001,3,2.5\n");
  TableOptions o = target("y");
  o.features = {"x", "zip"};
  o.categorical = {"zip"};
  const TabularEncoding e = fit_encoding(t, {0, 1, 2}, o, model(3, 1, LossKind::Mse));
  EXPECT_EQ(e.features[0].name, "x");
  Split s = encode_table(t, {}, e, model(3, 1, LossKind::Mse), true, nullptr);
  EXPECT_EQ(s.images, (std::vector<float>{1, 0, 1, 2, 1, 0, 3, 0, 1}));
  EXPECT_EQ(s.targets, (std::vector<float>{0.5f, 1.5f, 2.5f}));
  EXPECT_TRUE(s.labels.empty());
}

TEST(TabularEncoding, MissingPolicies) {
  const CsvTable t = parse("a,b,y\n1,NA,0\n,4,1\n3,5,0\n5,6,1\n");
  const ModelMeta m = model(2, 2, LossKind::CrossEntropy);
  TableOptions o = target("y");
  {
    const TabularEncoding e = fit_encoding(t, {}, o, m);
    EXPECT_MLC_ERROR(encode_table(t, {}, e, m, true, nullptr),
                     "t.csv:2: column 'b' has no value (--missing=drop|mean|median|constant:V");
  }
  o.missing = MissingPolicy::Drop;
  {
    MissingCount miss;
    std::vector<std::size_t> kept;
    Split s = encode_table(t, {}, fit_encoding(t, {0, 1, 2, 3}, o, m), m, true, &miss, &kept);
    EXPECT_EQ(s.count, 2u);
    EXPECT_EQ(kept, (std::vector<std::size_t>{2, 3}));
    EXPECT_EQ(miss.cells, 2u);
    EXPECT_EQ(miss.rows_dropped, 2u);
    EXPECT_EQ(miss.describe("t.csv", o.missing, 4), "t.csv: 2 missing values (a 1, b 1): dropped 2 of 4 rows");
  }
  o.missing = MissingPolicy::Mean;
  {
    const TabularEncoding e = fit_encoding(t, {0, 1, 2, 3}, o, m);
    EXPECT_DOUBLE_EQ(e.features[0].fill, 3.0);  // (1 + 3 + 5) / 3
    EXPECT_DOUBLE_EQ(e.features[1].fill, 5.0);
    Split s = encode_table(t, {}, e, m, true, nullptr);
    EXPECT_EQ(s.images, (std::vector<float>{1, 5, 3, 4, 3, 5, 5, 6}));
  }
  o.missing = MissingPolicy::Median;
  EXPECT_DOUBLE_EQ(fit_encoding(t, {0, 1, 2, 3}, o, m).features[1].fill, 5.0);  // median of 4, 5, 6
  EXPECT_DOUBLE_EQ(fit_encoding(t, {0, 1}, o, m).features[0].fill, 1.0);
  EXPECT_DOUBLE_EQ(fit_encoding(t, {1, 2, 3}, o, m).features[1].fill, 5.0);
  EXPECT_DOUBLE_EQ(fit_encoding(t, {0, 2, 3}, o, m).features[0].fill, 3.0);  // median of 1, 3, 5
  o.missing = MissingPolicy::Constant;
  o.missing_constant = -1;
  EXPECT_EQ(encode_table(t, {}, fit_encoding(t, {}, o, m), m, true, nullptr).images[1], -1.0f);

  // A missing target is only ever dropped.
  const CsvTable u = parse("a,y\n1,0\n2,\n");
  o.missing = MissingPolicy::Mean;
  EXPECT_MLC_ERROR(encode_table(u, {}, fit_encoding(u, {}, o, model(1, 2, LossKind::CrossEntropy)),
                                model(1, 2, LossKind::CrossEntropy), true, nullptr),
                   "t.csv:3: the target 'y' has no value (--missing=drop drops such rows)");
  EXPECT_TRUE(is_missing_cell(" NaN "));
  EXPECT_TRUE(is_missing_cell("N/A"));
  EXPECT_FALSE(is_missing_cell("0"));
}

TEST(TabularEncoding, UnknownCategories) {
  const CsvTable train = parse("c,y\nred,0\nblue,1\n");
  const CsvTable test = parse("c,y\ngreen,0\n");
  const ModelMeta m = model(2, 2, LossKind::CrossEntropy);
  TableOptions o = target("y");
  EXPECT_MLC_ERROR(encode_table(test, {}, fit_encoding(train, {}, o, m), m, true, nullptr),
                   "t.csv:2: column 'c': category 'green' is not in the training data (--unknown=zero");
  o.unknown_zero = true;
  EXPECT_EQ(encode_table(test, {}, fit_encoding(train, {}, o, m), m, true, nullptr).images,
            (std::vector<float>{0, 0}));
}

TEST(TabularEncoding, TargetsOfEveryKind) {
  // Numeric class indices, checked against the model's classes.
  const CsvTable t = parse("x,y\n1,0\n2,2\n");
  EXPECT_MLC_ERROR(encode_table(t, {}, fit_encoding(t, {}, target("y"), model(1, 2, LossKind::CrossEntropy)),
                                model(1, 2, LossKind::CrossEntropy), true, nullptr),
                   "t.csv:3: target 'y': '2' is not a class index in [0, 2)");
  // Binary: 0/1 floats are also class labels.
  const CsvTable b = parse("x,y\n1,0\n2,1\n");
  Split s = encode_table(b, {}, fit_encoding(b, {}, target("y"), model(1, 1, LossKind::BceLogits)),
                         model(1, 1, LossKind::BceLogits), true, nullptr);
  EXPECT_EQ(s.targets, (std::vector<float>{0, 1}));
  EXPECT_EQ(s.labels, (std::vector<std::int32_t>{0, 1}));
  // Two text classes for a binary model; three are too many.
  const CsvTable w = parse("x,y\n1,benign\n2,malignant\n3,other\n");
  EXPECT_MLC_ERROR(fit_encoding(w, {}, target("y"), model(1, 1, LossKind::BceLogits)),
                   "t.csv: target column 'y' has 3 classes, the model 2");
  EXPECT_MLC_ERROR(fit_encoding(w, {}, target("y"), model(1, 1, LossKind::Mse)),
                   "t.csv: target column 'y' holds text ('benign'); the model's loss mse needs numbers there");
  // Multi-output regression.
  const CsvTable r = parse("x,t1,t2\n1,0.5,-1\n");
  TableOptions o;
  o.targets = {"t1", "t2"};
  EXPECT_EQ(encode_table(r, {}, fit_encoding(r, {}, o, model(1, 2, LossKind::Mse)), model(1, 2, LossKind::Mse), true,
                         nullptr).targets,
            (std::vector<float>{0.5f, -1}));
  EXPECT_MLC_ERROR(fit_encoding(r, {}, o, model(1, 3, LossKind::Mse)),
                   "t.csv: 2 target column(s), the model's output has 3 values per sample");
}

TEST(TabularEncoding, ColumnAndShapeErrors) {
  const CsvTable t = parse(kPeople);
  const ModelMeta m = model(5, 2, LossKind::CrossEntropy);
  EXPECT_MLC_ERROR(fit_encoding(t, {}, target("class"), m),
                   "t.csv: no column 'class' (--target; the file has: age, city, income, label)");
  TableOptions o = target("label");
  o.features = {"age", "label"};
  EXPECT_MLC_ERROR(fit_encoding(t, {}, o, m), "--features: 'label' is also the target");
  o.features = {"age"};
  o.categorical = {"income"};
  EXPECT_MLC_ERROR(fit_encoding(t, {}, o, m), "--categorical: 'income' is not a feature column");
  EXPECT_MLC_ERROR(fit_encoding(t, {}, target("label"), model(4, 2, LossKind::CrossEntropy)),
                   "t.csv: the features encode to 5 values per sample (2 numeric, city (3 categories)), the model takes 4");
  // A typo in a numeric column is an error, not a new category.
  const CsvTable typo = parse("a,y\n1,0\n2,1\n3x,0\n4,1\n");
  EXPECT_MLC_ERROR(fit_encoding(typo, {}, target("y"), model(1, 2, LossKind::CrossEntropy)),
                   "t.csv:4: column 'a': '3x' is not a number (most of the column's cells are; --categorical=a");
  // ...and so is a non-number met only in the test data.
  const CsvTable clean = parse("a,y\n1,0\n2,1\n");
  EXPECT_MLC_ERROR(encode_table(typo, {}, fit_encoding(clean, {}, target("y"), model(1, 2, LossKind::CrossEntropy)),
                                model(1, 2, LossKind::CrossEntropy), true, nullptr),
                   "t.csv:4: column 'a': '3x' is not a number");
  const CsvTable huge = parse("a,y\n1e39,0\n");
  EXPECT_MLC_ERROR(encode_table(huge, {}, fit_encoding(huge, {}, target("y"), model(1, 2, LossKind::CrossEntropy)),
                                model(1, 2, LossKind::CrossEntropy), true, nullptr),
                   "t.csv:2: column 'a': '1e39' is out of float32 range");
}

TEST(TabularEncoding, TextFormRoundTripsAndRejectsGarbage) {
  const CsvTable t = parse("n,\"c c\",y\n1.1,\"a%b\",x\n2,\"q,r\",z\n");
  TableOptions o = target("y");
  o.missing = MissingPolicy::Mean;
  const TabularEncoding e = fit_encoding(t, {}, o, model(3, 2, LossKind::CrossEntropy));
  const TabularEncoding back = TabularEncoding::parse(e.text(), "ck");
  EXPECT_EQ(back.text(), e.text());
  EXPECT_EQ(back.features[1].name, "c c");
  EXPECT_EQ(back.features[1].categories, (std::vector<std::string>{"a%b", "q,r"}));
  EXPECT_DOUBLE_EQ(back.features[0].fill, 1.55);
  EXPECT_EQ(back.missing, MissingPolicy::Mean);
  EXPECT_MLC_ERROR(TabularEncoding::parse("nonsense", "ck"), "ck: not a table encoding");
  EXPECT_MLC_ERROR(TabularEncoding::parse("mlc-tabular 1\nfeature a%4 numeric 0\n", "ck"), "ck: line 2: bad escape");
  EXPECT_MLC_ERROR(TabularEncoding::parse("mlc-tabular 1\nfeature a categorical 2 x\n", "ck"),
                   "ck: line 2: expected 2 categories");
  EXPECT_MLC_ERROR(TabularEncoding::parse("mlc-tabular 1\nfeature a numeric nan\n", "ck"), "ck: line 2: bad fill value");
  EXPECT_MLC_ERROR(TabularEncoding::parse("mlc-tabular 1\nmissing mean\n", "ck"), "ck: no feature columns");
}

TEST(TabularEncoding, ReviewedEdgeCases) {
  // A class-label loss takes one target column.
  const CsvTable two = parse("x,a,b\n1,0,1\n2,1,0\n");
  TableOptions o;
  o.targets = {"a", "b"};
  EXPECT_MLC_ERROR(fit_encoding(two, {}, o, model(1, 2, LossKind::CrossEntropy)),
                   "t.csv: 2 target columns; the model's loss cross_entropy takes one class per sample");
  // A stored encoding must fit the model it is used with.
  const TabularEncoding e = fit_encoding(parse(kPeople), {}, target("label"), model(5, 2, LossKind::CrossEntropy));
  check_encoding_fits(e, model(5, 2, LossKind::CrossEntropy), "ck");
  EXPECT_MLC_ERROR(check_encoding_fits(e, model(4, 2, LossKind::CrossEntropy), "ck"),
                   "ck: its column encoding gives 5 values per sample, this model takes 4");
  EXPECT_MLC_ERROR(check_encoding_fits(e, model(5, 1, LossKind::CrossEntropy), "ck"),
                   "ck: its target 'label' has 2 classes, this model 1");
  EXPECT_MLC_ERROR(TabularEncoding::parse("mlc-tabular 1\nfeature c categorical 2 b a\n", "ck"),
                   "ck: line 2: categories out of order");
  // Stratification: a binary model's 0/1 values are classes, continuous targets one stratum.
  const CsvTable binary = parse("x,y\n1,0\n2,1\n3,1\n");
  const CsvTable soft = parse("x,y\n1,0.25\n2,0.5\n3,0.75\n");
  const ModelMeta bce = model(1, 1, LossKind::BceLogits);
  EXPECT_EQ(stratum_keys(binary, target("y"), bce), (std::vector<std::int32_t>{0, 1, 1}));
  EXPECT_EQ(stratum_keys(soft, target("y"), bce), (std::vector<std::int32_t>{0, 0, 0}));
  EXPECT_EQ(stratum_keys(soft, target("y"), model(1, 1, LossKind::Mse)), (std::vector<std::int32_t>{0, 0, 0}));
  // Cell and column text in errors stays on one line.
  EXPECT_MLC_ERROR(parse("\"a\nb\",\"a\nb\"\n1,2\n"), "t.csv:1: column name 'a\\nb' appears twice");
  const CsvTable odd = parse("a,y\n1,0\n2,1\n\"3\n4\",0\n5,1\n");
  EXPECT_MLC_ERROR(fit_encoding(odd, {}, target("y"), model(1, 2, LossKind::CrossEntropy)), "'3\\n4' is not a number");
}

TEST(Standardizer, ZeroMeanUnitVarianceOnNumericValuesOnly) {
  Split s;
  s.count = 4;
  s.pixels = 2;
  s.images = {1, 1, 3, 0, 5, 1, 7, 0};
  const Standardizer st = Standardizer::fit(s, {true, false});
  EXPECT_FLOAT_EQ(st.mean[0], 4.0f);
  EXPECT_FLOAT_EQ(st.scale[0], std::sqrt(5.0f));  // population deviation of 1, 3, 5, 7
  EXPECT_FLOAT_EQ(st.mean[1], 0.0f);
  EXPECT_FLOAT_EQ(st.scale[1], 1.0f);
  st.apply(s);
  EXPECT_FLOAT_EQ(s.images[0], -3.0f / std::sqrt(5.0f));
  EXPECT_FLOAT_EQ(s.images[1], 1.0f);
  // A constant column keeps scale 1.
  Split c;
  c.count = 2;
  c.pixels = 1;
  c.images = {2, 2};
  EXPECT_FLOAT_EQ(Standardizer::fit(c, {}).scale[0], 1.0f);
  Split tokens;
  tokens.count = 1;
  tokens.pixels = 1;
  tokens.tokens = {3};
  EXPECT_MLC_ERROR(Standardizer::fit(tokens, {}), "--standardize: the model's input is token ids");
}

TEST(HoldOut, StratifiedSeededAndIndependentOfTheValidationStream) {
  std::vector<std::int32_t> keys;
  for (int i = 0; i < 100; ++i) keys.push_back(i < 80 ? 0 : 1);
  const std::vector<char> a = stratified_holdout(keys, 0.25, 7, HoldOut::Test, "--test-split");
  std::size_t held0 = 0, held1 = 0;
  for (int i = 0; i < 100; ++i) (i < 80 ? held0 : held1) += a[i];
  EXPECT_EQ(held0, 20u);
  EXPECT_EQ(held1, 5u);
  EXPECT_EQ(stratified_holdout(keys, 0.25, 7, HoldOut::Test, "--test-split"), a);
  EXPECT_NE(stratified_holdout(keys, 0.25, 7, HoldOut::Validation, "--val-split"), a);
  EXPECT_NE(stratified_holdout(keys, 0.25, 8, HoldOut::Test, "--test-split"), a);
  EXPECT_MLC_ERROR(stratified_holdout({0}, 0.5, 0, HoldOut::Test, "--test-split"),
                   "--test-split: the training set is too small");
}

}  // namespace
}  // namespace mlc
