// GLSL 3.30 sources of the live renderer's programs (plain triangles, SDF shapes, heat grids,
// text); every fragment shader outputs premultiplied colour. Interpolated varyings are
// noperspective (w is always 1; llvmpipe then skips a per-pixel divide per varying).
#pragma once

namespace aisys::viz::shaders {

/// view = (scene - center) * zoom + view/2, then to normalised device coordinates (y up).
inline constexpr const char* kTransform = R"(
uniform vec2 u_center;
uniform float u_zoom;
uniform vec2 u_view;
vec4 toClip(vec2 p) {
    vec2 v = (p - u_center) * u_zoom + 0.5 * u_view;
    return vec4(v.x / u_view.x * 2.0 - 1.0, 1.0 - v.y / u_view.y * 2.0, 0.0, 1.0);
}
)";

/// Plain triangles: one flat colour per triangle, premultiplied once per vertex, and the
/// distances to up to three anti-aliased edges (see PlainVertex).
inline constexpr const char* kPlainVs = R"(
layout(location = 0) in vec2 a_pos;
layout(location = 1) in vec4 a_color;
layout(location = 2) in vec3 a_edge;
flat out vec4 v_color;
noperspective out vec3 v_edge;
void main() {
    v_color = vec4(a_color.rgb * a_color.a, a_color.a);
    v_edge = a_edge;
    gl_Position = toClip(a_pos);
}
)";

/// Coverage: each edge ramps over one pixel centred on the drawn edge, which lies kAaMargin
/// (1 scene unit) inside the geometry's edge. Edge distances are scene units, so one pixel is
/// u_unitsPerPixel (as in the SDF shader; fwidth would widen diagonal ramps and depend on the
/// 2×2 pixel block a fragment falls in).
inline constexpr const char* kPlainFs = R"(
uniform float u_unitsPerPixel;
flat in vec4 v_color;
noperspective in vec3 v_edge;
out vec4 o_color;
void main() {
    vec3 cov = clamp((v_edge - 1.0) * (1.0 / max(u_unitsPerPixel, 1e-5)) + 0.5, 0.0, 1.0);
    o_color = v_color * (cov.x * cov.y * cov.z);
}
)";

/// Boxes and circles: one quad each, shaded by a rounded-box signed distance.
inline constexpr const char* kSdfVs = R"(
layout(location = 0) in vec2 a_pos;
layout(location = 1) in vec2 a_local;
layout(location = 2) in vec2 a_half;
layout(location = 3) in vec2 a_shape;
layout(location = 4) in vec4 a_fill;
layout(location = 5) in vec4 a_stroke;
flat out vec4 v_fill;
flat out vec4 v_stroke;
noperspective out vec2 v_local;
flat out vec2 v_half;
flat out vec2 v_shape;
void main() {
    v_fill = a_fill;
    v_stroke = a_stroke;
    v_local = a_local;
    v_half = a_half;
    v_shape = a_shape;
    gl_Position = toClip(a_pos);
}
)";

/// Rounded-box distance d (circle = box with radius = half size): fill where d < 0, stroke
/// where |d| < half width, both anti-aliased over one pixel. d is a true distance in scene
/// units, so one pixel is u_unitsPerPixel — not fwidth(d), whose value for this non-linear d
/// depends on the 2×2 pixel block a fragment falls in, so a picture shifted by an odd number
/// of pixels (a panned frame) would not equal the same picture drawn afresh.
inline constexpr const char* kSdfFs = R"(
uniform float u_unitsPerPixel;
flat in vec4 v_fill;
flat in vec4 v_stroke;
noperspective in vec2 v_local;
flat in vec2 v_half;
flat in vec2 v_shape;
out vec4 o_color;
void main() {
    float radius = v_shape.x, sh = v_shape.y;
    vec2 q = abs(v_local) - v_half + vec2(radius);
    float d = length(max(q, 0.0)) + min(max(q.x, q.y), 0.0) - radius;
    float aa = max(u_unitsPerPixel, 1e-5);
    float fillCov = clamp(0.5 - d / aa, 0.0, 1.0);
    float ringCov = clamp(0.5 - (d - sh) / aa, 0.0, 1.0) - clamp(0.5 - (d + sh) / aa, 0.0, 1.0);
    if (sh <= 0.0)
        ringCov = 0.0;
    float fa = v_fill.a * fillCov, sa = v_stroke.a * ringCov;
    o_color = vec4(v_stroke.rgb * sa, sa) + vec4(v_fill.rgb * fa, fa) * (1.0 - sa);
}
)";

/// Heat grid: a quad over the grid bounds grown by one device pixel (so edge pixels are fully
/// covered and the shader's own coverage decides), corners from gl_VertexID (strip of 4).
inline constexpr const char* kGridVs = R"(
uniform vec4 u_rect;
uniform float u_unitsPerPixel;
noperspective out vec2 v_scene;
void main() {
    vec2 corner = vec2(float(gl_VertexID & 1), float(gl_VertexID >> 1));
    vec2 lo = u_rect.xy - vec2(u_unitsPerPixel), size = u_rect.zw + vec2(2.0 * u_unitsPerPixel);
    v_scene = lo + corner * size;
    gl_Position = toClip(v_scene);
}
)";

/// Four samples per pixel on the standard 4× rotated grid, taken in the shader (the framebuffer
/// is not multisampled): each finds its lattice cell, is inside when it lies within the cell's
/// size, and takes that cell's texel (anti-aliased cell edges at any zoom).
inline constexpr const char* kGridFs = R"(
uniform sampler2D u_grid;
uniform vec2 u_origin;
uniform vec2 u_pitch;
uniform vec2 u_invPitch; // 1 / u_pitch: a multiply per sample instead of a divide
uniform vec2 u_cell;
uniform ivec2 u_size;
uniform float u_unitsPerPixel;
noperspective in vec2 v_scene;
out vec4 o_color;
// Standard 4× sample positions relative to the pixel centre, y flipped (scene y is down).
const vec2 kSamples[4] = vec2[4](vec2(-0.125, 0.375), vec2(0.375, 0.125),
                                 vec2(-0.375, -0.125), vec2(0.125, -0.375));
void main() {
    vec4 sum = vec4(0.0);
    for (int i = 0; i < 4; ++i) {
        vec2 p = v_scene + kSamples[i] * u_unitsPerPixel - u_origin;
        vec2 cell = floor(p * u_invPitch);
        vec2 local = p - cell * u_pitch;
        ivec2 c = ivec2(cell);
        if (c.x >= 0 && c.y >= 0 && c.x < u_size.x && c.y < u_size.y && local.x < u_cell.x &&
            local.y < u_cell.y) {
            vec4 t = texelFetch(u_grid, c, 0);
            sum += vec4(t.rgb * t.a, t.a);
        }
    }
    o_color = sum * 0.25;
}
)";

inline constexpr const char* kTextVs = R"(
layout(location = 0) in vec2 a_pos;
layout(location = 1) in vec2 a_uv;
layout(location = 2) in vec4 a_color;
noperspective out vec2 v_uv;
flat out vec4 v_color;
void main() {
    v_uv = a_uv;
    v_color = vec4(a_color.rgb * a_color.a, a_color.a);
    gl_Position = toClip(a_pos);
}
)";

inline constexpr const char* kTextFs = R"(
uniform sampler2D u_atlas;
noperspective in vec2 v_uv;
flat in vec4 v_color;
out vec4 o_color;
void main() {
    o_color = v_color * texture(u_atlas, v_uv).r;
}
)";

} // namespace aisys::viz::shaders
