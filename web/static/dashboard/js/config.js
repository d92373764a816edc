// Settings of the dashboard that an operator may change before building the binary.
//
// tileUrl is a base-map tile template such as "https://tiles.example.vn/{z}/{x}/{y}.png" (Web
// Mercator, 256 px tiles). It is empty, so no base map is drawn: the dashboard must work on an
// office network without internet access, and nothing leaves the browser but API calls.
export const CONFIG = {
  tileUrl: "",
  tileAttribution: "",
};
