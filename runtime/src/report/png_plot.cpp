// A tiny rasterizer (Bresenham lines, a 5x7 bitmap font) and a PNG encoder on zlib: no image library.
#include "report/png_plot.h"

#include <zlib.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <vector>

#include "core/error.h"
#include "report/chart_data.h"

namespace mlc {
namespace {

constexpr int kTitleHeight = 30;

// 5x7 glyphs, one string of 7 rows x 5 columns (35 characters) per character ('#' is ink). Upper case is drawn as
// lower case; characters without a glyph as a box.
struct Glyph {
  char c;
  const char* rows;
};
const Glyph kFont[] = {
    {' ', "                                   "},
    {'0', " ### #   ##  ### # ###  ##   # ### "},
    {'1', "  #   ##    #    #    #    #   ### "},
    {'2', " ### #   #    #   #   #   #   #####"},
    {'3', "#####   #   #     #     ##   # ### "},
    {'4', "   #   ##  # # #  # #####   #    # "},
    {'5', "######    ####     #    ##   # ### "},
    {'6', "  ##  #   #    #### #   ##   # ### "},
    {'7', "#####    #   #   #   #    #    #   "},
    {'8', " ### #   ##   # ### #   ##   # ### "},
    {'9', " ### #   ##   # ####    #   #  ##  "},
    {'.', "                          ##   ##  "},
    {'-', "                ###                "},
    {'+', "       #    #  #####  #    #       "},
    {',', "                     ##    #   #   "},
    {':', "      ##   ##        ##   ##       "},
    {'(', "   #   #   #    #    #     #     # "},
    {')', " #     #     #    #    #   #   #   "},
    {'_', "                              #####"},
    {'/', "    #    #   #   #   #   #    #    "},
    {'%', "##   ##  #   #   #   #   #  ##   ##"},
    {'a', "           ###     # #####   # ####"},
    {'b', "#    #    # ## ##  ##   ##   ##### "},
    {'c', "           ### #    #    #   # ### "},
    {'d', "    #    # ## ##  ###   ##   # ####"},
    {'e', "           ### #   #######     ### "},
    {'f', "  ##  #  # #   ###   #    #    #   "},
    {'g', "      #####   ##   # ####    # ### "},
    {'h', "#    #    # ## ##  ##   ##   ##   #"},
    {'i', "  #        ##    #    #    #   ### "},
    {'j', "   #        ##    #    # #  #  ##  "},
    {'k', "#    #    #  # # #  ##   # #  #  # "},
    {'l', " ##    #    #    #    #    #   ### "},
    {'m', "          ## # # # ## # ##   ##   #"},
    {'n', "          # ## ##  ##   ##   ##   #"},
    {'o', "           ### #   ##   ##   # ### "},
    {'p', "          #### #   ##### #    #    "},
    {'q', "           ## ##  ## ####    #    #"},
    {'r', "          # ## ##  ##    #    #    "},
    {'s', "           #####     ###     ##### "},
    {'t', " #    #   ###   #    #    #  #  ## "},
    {'u', "          #   ##   ##   ##  ## ## #"},
    {'v', "          #   ##   ##   # # #   #  "},
    {'w', "          #   ##   ## # ## # # # # "},
    {'x', "          #   # # #   #   # # #   #"},
    {'y', "          #   ##   # ####    # ### "},
    {'z', "          #####   #   #   #   #####"},
};

class Canvas {
 public:
  Canvas(int w, int h) : w_(w), h_(h), px_(static_cast<std::size_t>(w) * h * 3, 255) {}
  int width() const { return w_; }
  int height() const { return h_; }
  const std::vector<unsigned char>& pixels() const { return px_; }

  void dot(int x, int y, Rgb c) {
    if (x < 0 || y < 0 || x >= w_ || y >= h_) return;
    unsigned char* p = &px_[(static_cast<std::size_t>(y) * w_ + x) * 3];
    p[0] = c.r, p[1] = c.g, p[2] = c.b;
  }
  void line(double x0, double y0, double x1, double y1, Rgb c, int thickness = 1) {
    int ax = static_cast<int>(std::lround(x0)), ay = static_cast<int>(std::lround(y0));
    const int bx = static_cast<int>(std::lround(x1)), by = static_cast<int>(std::lround(y1));
    const int dx = std::abs(bx - ax), dy = -std::abs(by - ay), sx = ax < bx ? 1 : -1, sy = ay < by ? 1 : -1;
    int err = dx + dy;
    while (true) {
      for (int t = 0; t < thickness; ++t) dot(ax, ay + t, c);
      if (ax == bx && ay == by) break;
      const int e2 = 2 * err;
      if (e2 >= dy) err += dy, ax += sx;
      if (e2 <= dx) err += dx, ay += sy;
    }
  }
  // Text with its left end (anchor 0), centre (1) or right end (2) at x; y is the top of the glyphs.
  void text(const std::string& s, int x, int y, Rgb c, int anchor = 0) {
    const int w = static_cast<int>(s.size()) * 6;
    x -= anchor == 1 ? w / 2 : anchor == 2 ? w : 0;
    for (char ch : s) {
      const char lower = static_cast<char>(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch);
      const char* rows = nullptr;
      for (const Glyph& g : kFont) {
        if (g.c == lower) rows = g.rows;
      }
      for (int r = 0; r < 7; ++r) {
        for (int col = 0; col < 5; ++col) {
          const std::size_t i = static_cast<std::size_t>(r) * 5 + col;
          const bool ink = rows ? rows[i] == '#' : (r == 0 || r == 6 || col == 0 || col == 4);
          if (ink) dot(x + col, y + r, c);
        }
      }
      x += 6;
    }
  }

 private:
  int w_, h_;
  std::vector<unsigned char> px_;
};

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

void draw_chart(Canvas& cv, const ChartData& c, int top) {
  const Rgb ink{0x22, 0x22, 0x22}, frame{0x88, 0x88, 0x88}, grid{0xee, 0xee, 0xee};
  cv.text(c.title, kPlotLeft, top + 12, ink);
  for (int t = 0; t <= 4; ++t) {
    const double xv = c.xmin + (c.xmax - c.xmin) * t / 4, yv = c.ymin + (c.ymax - c.ymin) * t / 4;
    cv.line(kPlotLeft, top + c.py(yv), kPlotRight, top + c.py(yv), grid);
    cv.text(number(xv), static_cast<int>(c.px(xv)), top + kPlotBottom + 6, ink, 1);
    cv.text(number(yv), kPlotLeft - 6, top + static_cast<int>(c.py(yv)) - 3, ink, 2);
  }
  cv.line(kPlotLeft, top + kPlotTop, kPlotRight, top + kPlotTop, frame);
  cv.line(kPlotLeft, top + kPlotBottom, kPlotRight, top + kPlotBottom, frame);
  cv.line(kPlotLeft, top + kPlotTop, kPlotLeft, top + kPlotBottom, frame);
  cv.line(kPlotRight, top + kPlotTop, kPlotRight, top + kPlotBottom, frame);
  cv.text(c.xlabel, (kPlotLeft + kPlotRight) / 2, top + kChartHeight - 14, ink, 1);
  for (std::size_t k = 0; k < c.series.size(); ++k) {
    const Series& s = c.series[k];
    const Rgb color = series_color(k);
    bool have = false;
    double lx = 0, ly = 0;
    for (std::size_t i = 0; i < s.x.size(); ++i) {
      if (!std::isfinite(s.y[i])) continue;
      const double x = c.px(s.x[i]), y = top + c.py(s.y[i]);
      if (have) cv.line(lx, ly, x, y, color, 2);
      else cv.line(x - 1, y, x + 1, y, color, 2);  // a lone point stays visible
      lx = x, ly = y, have = true;
    }
    cv.text(s.name, kPlotRight - 4, top + kPlotTop + 6 + 12 * static_cast<int>(k), color, 2);
  }
}

void chunk(std::string& out, const char* type, const std::string& data) {
  auto u32 = [&](std::uint32_t v) {
    for (int i = 3; i >= 0; --i) out += static_cast<char>((v >> (8 * i)) & 0xff);
  };
  u32(static_cast<std::uint32_t>(data.size()));
  const std::string body = std::string(type, 4) + data;
  out += body;
  u32(static_cast<std::uint32_t>(crc32_z(0, reinterpret_cast<const Bytef*>(body.data()), body.size())));
}

std::string encode_png(const Canvas& cv) {
  std::string raw;  // each row: filter type 0, then RGB bytes
  const std::size_t row = static_cast<std::size_t>(cv.width()) * 3;
  for (int y = 0; y < cv.height(); ++y) {
    raw += '\0';
    raw.append(reinterpret_cast<const char*>(&cv.pixels()[y * row]), row);
  }
  uLongf size = compressBound(raw.size());
  std::string z(size, '\0');
  if (compress2(reinterpret_cast<Bytef*>(&z[0]), &size, reinterpret_cast<const Bytef*>(raw.data()), raw.size(), 9) != Z_OK) {
    throw Error("PNG compression failed");
  }
  z.resize(size);
  std::string ihdr;
  for (std::uint32_t v : {static_cast<std::uint32_t>(cv.width()), static_cast<std::uint32_t>(cv.height())}) {
    for (int i = 3; i >= 0; --i) ihdr += static_cast<char>((v >> (8 * i)) & 0xff);
  }
  ihdr += std::string("\x08\x02\x00\x00\x00", 5);  // 8-bit RGB, deflate, no filter method, no interlace
  std::string out("\x89PNG\r\n\x1a\n", 8);
  chunk(out, "IHDR", ihdr);
  chunk(out, "IDAT", z);
  chunk(out, "IEND", "");
  return out;
}

}  // namespace

std::string render_png(const RunLog& log, const std::string& title) {
  const std::vector<ChartData> charts = build_charts(log);
  Canvas cv(kChartWidth, kTitleHeight + kChartHeight * static_cast<int>(charts.size()));
  cv.text(title, 10, 10, Rgb{0x22, 0x22, 0x22});
  for (std::size_t i = 0; i < charts.size(); ++i) draw_chart(cv, charts[i], kTitleHeight + kChartHeight * static_cast<int>(i));
  return encode_png(cv);
}

}  // namespace mlc
