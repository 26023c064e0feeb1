// 2-D camera: scene ↔ view (logical pixel) transform, pan, zoom around a point, fit.
#pragma once

#include "viz/display_list.h"

namespace aisys::viz {

/// view = (scene - center) * zoom + viewSize / 2
class Camera {
public:
    Vec2 center{0, 0};
    float zoom = 1.0f;

    Vec2 toView(Vec2 scene, Vec2 viewSize) const {
        return {(scene.x - center.x) * zoom + viewSize.x / 2,
                (scene.y - center.y) * zoom + viewSize.y / 2};
    }
    Vec2 toScene(Vec2 view, Vec2 viewSize) const {
        return {(view.x - viewSize.x / 2) / zoom + center.x,
                (view.y - viewSize.y / 2) / zoom + center.y};
    }
    /// Pans by a view-space delta (drag).
    void panBy(Vec2 viewDelta) { center = center - viewDelta * (1.0f / zoom); }
    /// Multiplies zoom by `factor` keeping the scene point under `viewPos` fixed.
    void zoomAt(Vec2 viewPos, Vec2 viewSize, float factor);
    /// Centres `r` and zooms so it fills the view with `margin` logical pixels around it.
    void fit(const Rect& r, Vec2 viewSize, float margin = 24.0f);

    static constexpr float kMinZoom = 0.02f;
    static constexpr float kMaxZoom = 64.0f;
};

} // namespace aisys::viz
