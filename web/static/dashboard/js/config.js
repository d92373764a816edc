// @ts-check
// Settings of the dashboard that an operator may change before building the binary.
//
// The base map is normally set on the server: KIEMTRA_TILE_URL (and KIEMTRA_TILE_ATTRIBUTION)
// reach the page with the map's data (GET /api/v1/coverage.geojson, "base_map"), and win over
// the values here. tileUrl is a base-map tile template such as
// "https://tiles.example.vn/{z}/{x}/{y}.png" (Web Mercator, 256 px tiles). Both are empty, so no
// base map is drawn: the dashboard must work on an office network without internet access, and
// nothing leaves the browser but API calls.
export const CONFIG = {
  tileUrl: "",
  tileAttribution: "",
};
