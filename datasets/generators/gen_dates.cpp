// gen_dates.cpp — writes datasets/dates/{train,valid,test}.tsv: dates as people write them
// ("3rd of march 2021", "mar 3 , 21", "tuesday 3 march 2021", "03 / 03 / 2021", ...) paired
// with the ISO form "2021 - 03 - 03".
//
// Why this corpus? Every target token comes from exactly one source token (the year from
// "2021" or "21", the month from "march"/"mar"/"03", the day from "3rd"/"3"/"03"), so a trained
// attention map is crisp and easy to read — and the order of year/month/day differs between
// formats, so the model must really look instead of copying position by position.
//
// Tokens: words and numbers are whole tokens; "/", ".", ",", "-" are tokens of their own.
// Slash dates are always day / month / year (the European order), so no source is ambiguous.
// Two-digit years mean 1950–1999 for 50–99 and 2000–2049 for 00–49 (the corpus covers
// 1950–2049). Weekday names are the real weekday of the date.
//
// usage: gen_dates [--seed N] [--out DIR]
#include "generator_common.hpp"

#include <cstdio>

using gen::Tokens;

namespace {

const std::vector<std::string> kMonths = {"january", "february", "march",     "april",   "may",      "june",
                                          "july",    "august",   "september", "october", "november", "december"};
const std::vector<std::string> kMonthAbbr = {"jan", "feb", "mar", "apr", "may", "jun",
                                             "jul", "aug", "sep", "oct", "nov", "dec"};
const std::vector<std::string> kWeekdays = {"sunday",   "monday", "tuesday", "wednesday",
                                            "thursday", "friday", "saturday"};
const std::vector<std::string> kWeekdayAbbr = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(int y, int m) {
    const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return (m == 2 && is_leap(y)) ? 29 : days[m - 1];
}

// 0 = sunday ... 6 = saturday. Days since 1970-01-01 (a thursday) by H. Hinnant's
// days_from_civil: shift the year to start in March so the leap day is the year's last day.
int weekday(int y, int m, int d) {
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const int yoe = y - era * 400;                                   // year of era [0, 399]
    const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;  // day of year from March 1
    const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;           // day of era
    const long days = long(era) * 146097 + doe - 719468;
    return int(((days % 7) + 7 + 4) % 7);
}

std::string two_digits(int n) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%02d", n);
    return buf;
}

// 1 -> "1st", 2 -> "2nd", 3 -> "3rd", 11 -> "11th", 22 -> "22nd".
std::string ordinal(int d) {
    const char* suffix = "th";
    if (d % 10 == 1 && d != 11) suffix = "st";
    if (d % 10 == 2 && d != 12) suffix = "nd";
    if (d % 10 == 3 && d != 13) suffix = "rd";
    return std::to_string(d) + suffix;
}

// The source side in one of ten formats, all tokenized the same way.
Tokens format_date(int format, int y, int m, int d) {
    const std::string day = std::to_string(d), dd = two_digits(d), ord = ordinal(d);
    const std::string month = kMonths[size_t(m - 1)], mon = kMonthAbbr[size_t(m - 1)], mm = two_digits(m);
    const std::string year = std::to_string(y), yy = two_digits(y % 100);
    const int w = weekday(y, m, d);
    const std::string wday = kWeekdays[size_t(w)], wd = kWeekdayAbbr[size_t(w)];
    switch (format) {
        case 0: return {ord, "of", month, year};                     // 3rd of march 2021
        case 1: return {month, ord, ",", year};                      // march 3rd , 2021
        case 2: return {wday, day, month, year};                     // wednesday 3 march 2021
        case 3: return {dd, "/", mm, "/", year};                     // 03 / 03 / 2021
        case 4: return {year, ".", mm, ".", dd};                     // 2021 . 03 . 03
        case 5: return {day, mon, year};                             // 3 mar 2021
        case 6: return {mon, day, ",", yy};                          // mar 3 , 21
        case 7: return {wday, ",", month, ord, ",", year};           // wednesday , march 3rd , 2021
        case 8: return {wd, day, mon, yy};                           // wed 3 mar 21
        default: return {day, "/", std::to_string(m), "/", yy};      // 3 / 3 / 21
    }
}

gen::Example make_example(tinyattn::Rng& rng) {
    const int y = rng.randint(1950, 2050);
    const int m = rng.randint(1, 13);
    const int d = rng.randint(1, days_in_month(y, m) + 1);
    const int format = rng.randint(0, 10);
    const Tokens target = {std::to_string(y), "-", two_digits(m), "-", two_digits(d)};
    return {{gen::join(format_date(format, y, m, d)), gen::join(target)}};
}

}  // namespace

int main(int argc, char** argv) {
    return gen::run_generator(argc, argv, "dates", {"source", "target"}, 2, [](tinyattn::Rng& rng) {
        return gen::generate_splits(rng, 20000, 1000, 1000, make_example);
    });
}
