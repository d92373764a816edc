// @ts-check
// The areas desk: the administrative units over time (docs/areas.md). #/areas is the tree in
// force on a chosen day; #/areas/CODE one unit version (its dates, parent, children, where it came
// from and went, its outline); #/areas/import a boundary file in two steps (the dry run's report,
// then the import); #/areas/reorganisations the reorganisations, a file imported as a draft, and
// #/areas/reorganisations/ID a draft's report and decisions (each business of a split unit
// settled on a map), then applied once. Planners read everything; what changes the map is the
// admins' (api/authz.go), and planners are told so.

import { bindFileCheck, postFile } from "../forms.js";
import { h } from "../../../shared/js/dom.js";
import { query } from "../../../shared/js/api.js";
import { Projection, WIDTH, boundsOf, polygons } from "../../../shared/js/map.js";

/**
 * @typedef {import("../main.js").DeskContext} DeskContext
 * @typedef {{code: string, gso_code: string, name: string, type_name: string, level: string, lat: number, lon: number,
 *   valid_from: string | null, valid_to: string | null, children: AreaNode[]}} AreaNode
 * @typedef {{code: string, name: string, part: string, valid_from: string | null, valid_to: string | null}} AreaLink
 * @typedef {{code: string, gso_code: string, name: string, type_name: string, level: string, parent_code: string | null,
 *   path: string[], lat: number, lon: number, valid_from: string | null, valid_to: string | null, geometry: any,
 *   children: {code: string, name: string, level: string}[], formed_from?: AreaLink[], became?: AreaLink[]}} AreaDetail
 * @typedef {{reorganisation_id: string, kind: string, subject_id: string, current: string, candidates: string,
 *   proposed: string, settled: string, settled_by: string, settled_at: string | null}} ReorgItem
 * @typedef {{code: string, gso_code: string, name: string, type_name: string, lat: number, lon: number, geometry?: any,
 *   full_from: string[], partial_from: string[], businesses: number, by_polygon: number, to_review: number}} ReorgUnit
 * @typedef {{unit?: string, source?: string, kind: string, message: string, message_vi: string}} ReorgProblem
 * @typedef {{businesses: number, open_tasks: number, tips: number}} ReorgCounts
 * @typedef {{id?: string, name: string, effective_on: string, status: string, units: ReorgUnit[], ending: string[],
 *   external_sources: string[], moved_businesses: number, moved_tips: number, reviews: ReorgItem[], teams: ReorgItem[],
 *   users: ReorgItem[], open: number, before: ReorgCounts, after: ReorgCounts, problems: ReorgProblem[]}} ReorgReport
 * @typedef {{id: string, name: string, effective_on: string, status: string, created_by: string, created_at: string,
 *   applied_by: string, applied_at: string | null}} Reorganisation
 * @typedef {{feature?: string, code: string, kind: string, other?: string, message: string, message_vi?: string}} ImportProblem
 * @typedef {{feature: string, code: string, gso_code: string, name: string, level: string, parent_code: string | null,
 *   valid_from: string | null, valid_to: string | null, action: string}} ImportUnit
 * @typedef {{source: string, mapping?: string, features: number, created: number, updated: number, units: ImportUnit[],
 *   problems: ImportProblem[], warnings: ImportProblem[], warnings_omitted: number, dry_run: boolean}} ImportReport
 */

const REVIEW_PAGE = 12;

/** @type {import("../../../shared/js/i18n.js").Messages} */
const messages = {
  vi: {
    "areas.nav": "Địa bàn",
    "areas.title": "Đơn vị hành chính",
    "areas.on": "Ngày xem",
    "areas.onHint": "Cây đơn vị có hiệu lực vào ngày này. Từ 01/07/2025 không còn cấp huyện; trước đó là các quận, huyện và phường, xã, thị trấn của thành phố Cần Thơ cũ.",
    "areas.show": "Xem",
    "areas.today": "Hôm nay",
    "areas.counts": "Có hiệu lực ngày {date}:",
    "areas.none": "Không có đơn vị nào có hiệu lực vào ngày này.",
    "areas.importLink": "Nhập ranh giới",
    "areas.reorgLink": "Sắp xếp đơn vị hành chính",
    "areas.code": "Mã",
    "areas.children": "{n} đơn vị trực thuộc",
    "areas.back": "‹ Cây đơn vị",
    "areas.unit.type": "Loại đơn vị",
    "areas.unit.code": "Mã đơn vị (Tổng cục Thống kê)",
    "areas.unit.version": "Mã phiên bản",
    "areas.unit.level": "Cấp",
    "areas.unit.from": "Có hiệu lực từ",
    "areas.unit.to": "Hết hiệu lực sau ngày",
    "areas.unit.open": "đang có hiệu lực",
    "areas.unit.since": "(không rõ ngày bắt đầu)",
    "areas.unit.parent": "Đơn vị cấp trên",
    "areas.unit.noParent": "Không có (đơn vị gốc)",
    "areas.unit.businesses": "Số cơ sở đang thuộc đơn vị",
    "areas.unit.businessesEnded": "Đơn vị đã hết hiệu lực: các cơ sở đã chuyển sang đơn vị mới.",
    "areas.unit.children": "Đơn vị trực thuộc",
    "areas.unit.noChildren": "Không có đơn vị trực thuộc.",
    "areas.unit.formedFrom": "Được hình thành từ",
    "areas.unit.became": "Đã được sắp xếp vào",
    "areas.unit.outline": "Ranh giới",
    "areas.unit.noOutline": "Chưa có ranh giới của đơn vị này. Quản trị hệ thống có thể nhập ranh giới từ tệp GeoJSON.",
    "areas.unit.external": "đơn vị của tỉnh khác (mã {code})",
    "areas.unit.mapLabel": "Bản đồ ranh giới của {name}",
    "areas.level.city": "Thành phố trực thuộc trung ương",
    "areas.level.province": "Tỉnh",
    "areas.level.district": "Cấp huyện",
    "areas.level.ward": "Cấp xã (dưới cấp huyện)",
    "areas.level.commune": "Cấp xã",
    "areas.part.full": "toàn bộ",
    "areas.part.partial": "một phần",
    "areas.adminOnly": "Chỉ quản trị hệ thống mới thực hiện được việc này; bạn xem được mọi thông tin.",
    "areas.import.title": "Nhập ranh giới đơn vị hành chính",
    "areas.import.step1": "Bước 1: chọn tệp và kiểm tra",
    "areas.import.step2": "Bước 2: xem kết quả kiểm tra rồi xác nhận",
    "areas.import.file": "Tệp ranh giới (GeoJSON: FeatureCollection gồm Polygon, MultiPolygon)",
    "areas.import.property": "Tên thuộc tính của từng trường (không bắt buộc)",
    "areas.import.propertyHint": "Chỉ cần khi tệp không theo cách đặt tên của kiemtra, Tổng cục Thống kê, GADM hay OpenStreetMap. Ví dụ: code=MaXa,name=TenXa,parent=MaHuyen",
    "areas.import.validFrom": "Ngày bắt đầu hiệu lực (không bắt buộc)",
    "areas.import.validFromHint": "Cho các đơn vị trong tệp không ghi ngày bắt đầu, ví dụ 01/07/2025 cho bản đồ năm 2025.",
    "areas.import.hint": "Chưa có gì được lưu ở bước này: máy chủ đọc tệp, cho biết từng vấn đề và cảnh báo.",
    "areas.import.check": "Kiểm tra tệp",
    "areas.import.checking": "Đang kiểm tra…",
    "areas.import.noFile": "Cần chọn một tệp.",
    "areas.import.summary": "Tệp có {features} đơn vị (cách đặt tên: {source}): {created} đơn vị mới, {updated} đơn vị được cập nhật.",
    "areas.import.problemsSummary": "Tệp có {n} vấn đề nên không có gì được nhập. Sửa tệp rồi kiểm tra lại.",
    "areas.import.okSummary": "Không có vấn đề nào: có thể nhập tệp.",
    "areas.import.done": "Đã nhập: {created} đơn vị mới, {updated} đơn vị được cập nhật.",
    "areas.import.problems": "Vấn đề (tệp bị từ chối)",
    "areas.import.noProblems": "Không có vấn đề nào.",
    "areas.import.warnings": "Cảnh báo (tệp vẫn được nhập)",
    "areas.import.warningsOmitted": "Còn {n} cảnh báo khác không được liệt kê.",
    "areas.import.units": "Các đơn vị trong tệp",
    "areas.import.feature": "Đối tượng",
    "areas.import.unit": "Đơn vị",
    "areas.import.message": "Nội dung",
    "areas.import.action": "Sẽ",
    "areas.import.confirm": "Xác nhận nhập",
    "areas.import.confirming": "Đang nhập…",
    "areas.import.other": "Chọn tệp khác",
    "areas.import.featureN": "Đối tượng số {n}",
    "areas.action.created": "tạo mới",
    "areas.action.new_version": "thêm phiên bản mới",
    "areas.action.updated": "cập nhật",
    "areas.source.kiemtra": "của kiemtra",
    "areas.source.gso": "mã Tổng cục Thống kê",
    "areas.source.gadm": "GADM",
    "areas.source.osm": "OpenStreetMap",
    "areas.source.mapping": "theo tên thuộc tính đã nêu",
    "areas.field.file": "Tệp",
    "areas.field.properties": "Thuộc tính của tệp",
    "areas.field.property": "Tên thuộc tính",
    "areas.field.valid_from": "Ngày bắt đầu hiệu lực",
    "areas.field.on": "Ngày xem",
    "areas.field.units": "Đơn vị",
    "areas.field.area_code": "Đơn vị",
    "areas.field.areas": "Đơn vị",
    "areas.reorg.title": "Sắp xếp đơn vị hành chính",
    "areas.reorg.hint": "Mỗi cuộc sắp xếp là một tệp: ngày có hiệu lực và, cho từng đơn vị mới, các đơn vị cũ hợp thành (toàn bộ hay một phần). Tệp được nhập thành bản nháp, xem xét các trường hợp cần quyết định, rồi áp dụng một lần.",
    "areas.reorg.none": "Chưa có cuộc sắp xếp nào.",
    "areas.reorg.col.name": "Tên",
    "areas.reorg.col.effective": "Ngày có hiệu lực",
    "areas.reorg.col.status": "Tình trạng",
    "areas.reorg.col.created": "Nhập ngày",
    "areas.reorg.col.applied": "Áp dụng ngày",
    "areas.reorg.status.draft": "Bản nháp",
    "areas.reorg.status.applied": "Đã áp dụng",
    "areas.reorg.import": "Nhập tệp sắp xếp",
    "areas.reorg.file": "Tệp sắp xếp (JSON: tên, ngày có hiệu lực, đơn vị cấp trên, các đơn vị mới và đơn vị hợp thành)",
    "areas.reorg.fileHint": "Bước kiểm tra không lưu gì: máy chủ cho biết đơn vị mới, đơn vị kết thúc, số cơ sở chuyển và các vấn đề.",
    "areas.reorg.save": "Lưu thành bản nháp",
    "areas.reorg.saving": "Đang lưu…",
    "areas.reorg.refused": "Cuộc sắp xếp có vấn đề nên không được lưu:",
    "areas.reorg.checked": "Kết quả kiểm tra tệp",
    "areas.reorg.backList": "‹ Danh sách cuộc sắp xếp",
    "areas.reorg.effective": "Có hiệu lực từ ngày {date}",
    "areas.reorg.summary": "{units} đơn vị mới; {ending} đơn vị kết thúc ngày {before}; {moved} cơ sở và {tips} tin báo chuyển đơn vị.",
    "areas.reorg.counts": "Số cơ sở trước và sau: {before} → {after}; nhiệm vụ đang mở: {tasksBefore} → {tasksAfter}; tin báo: {tipsBefore} → {tipsAfter}.",
    "areas.reorg.external": "Đơn vị của tỉnh khác nhập vào (không có trong cơ sở dữ liệu): {n}.",
    "areas.reorg.units": "Các đơn vị mới",
    "areas.reorg.col.unit": "Đơn vị mới",
    "areas.reorg.col.fromFull": "Nhận toàn bộ",
    "areas.reorg.col.fromPart": "Nhận một phần",
    "areas.reorg.col.businesses": "Cơ sở chuyển vào",
    "areas.reorg.col.byPolygon": "theo ranh giới",
    "areas.reorg.col.toReview": "cần xem xét",
    "areas.reorg.problems": "Vấn đề (phải sửa tệp)",
    "areas.reorg.open": "Còn {n} quyết định chưa đưa ra.",
    "areas.reorg.allSettled": "Mọi trường hợp đã được quyết định: có thể áp dụng.",
    "areas.reorg.review": "Cơ sở thuộc đơn vị bị chia ({n})",
    "areas.reorg.reviewHint": "Vị trí của các cơ sở này không nằm trong ranh giới đơn vị mới nào: chọn đơn vị mới cho từng cơ sở, bằng cách bấm vào ranh giới trên bản đồ hoặc chọn trong danh sách. Đơn vị được đề xuất (gần nhất) có viền đậm.",
    "areas.reorg.noReview": "Không có cơ sở nào cần xem xét: mọi cơ sở được xếp theo ranh giới hoặc theo đơn vị nhận toàn bộ.",
    "areas.reorg.case": "{name}",
    "areas.reorg.caseFrom": "đang thuộc {unit}",
    "areas.reorg.proposed": "đề xuất",
    "areas.reorg.settledTo": "đã chọn: {unit}",
    "areas.reorg.openCase": "chưa quyết định",
    "areas.reorg.choose": "Chọn đơn vị mới cho {name}",
    "areas.reorg.mapLabel": "Bản đồ: vị trí của {name} và ranh giới các đơn vị mới có thể nhận",
    "areas.reorg.noOutlines": "Tệp sắp xếp không có ranh giới của các đơn vị mới: bản đồ chỉ có vị trí tâm của chúng.",
    "areas.reorg.settledNow": "Đã xếp {name} vào {unit}.",
    "areas.reorg.prevPage": "Trang trước",
    "areas.reorg.nextPage": "Trang sau",
    "areas.reorg.pageOf": "{from}–{to} trong {n}",
    "areas.reorg.teams": "Tổ công tác có địa bàn kết thúc ({n})",
    "areas.reorg.teamsHint": "Chọn các đơn vị mới mà tổ phụ trách từ ngày có hiệu lực (giữ phím Ctrl để chọn nhiều).",
    "areas.reorg.users": "Tài khoản có địa bàn kết thúc ({n})",
    "areas.reorg.usersHint": "Chọn đơn vị mới làm địa bàn của tài khoản từ ngày có hiệu lực.",
    "areas.reorg.now": "Hiện nay: {units}",
    "areas.reorg.saveDecision": "Lưu quyết định",
    "areas.reorg.saved": "Đã lưu.",
    "areas.reorg.acceptAll": "Chấp nhận mọi đề xuất còn lại",
    "areas.reorg.accepted": "Đã chấp nhận {n} đề xuất.",
    "areas.reorg.apply": "Áp dụng cuộc sắp xếp",
    "areas.reorg.applyBlocked": "Chỉ áp dụng được khi mọi trường hợp đã được quyết định và tệp không có vấn đề.",
    "areas.reorg.applyConfirm": "Áp dụng từ ngày {date}: {units} đơn vị mới, {ending} đơn vị kết thúc, {moved} cơ sở chuyển đơn vị. Việc này chỉ làm một lần và không hoàn tác được.",
    "areas.reorg.applyYes": "Xác nhận áp dụng",
    "areas.reorg.applying": "Đang áp dụng…",
    "areas.reorg.applied": "Đã áp dụng cuộc sắp xếp.",
    "areas.reorg.appliedBy": "Áp dụng bởi {who} lúc {when}.",
    "areas.reorg.createdBy": "Nhập bởi {who} lúc {when}.",
    "areas.reorg.createdByAt": "Nhập lúc {when}.",
    "areas.reorg.appliedByAt": "Áp dụng lúc {when}.",
    "areas.reorg.cancel": "Thôi",
    "areas.reorg.decisions": "Các quyết định đã đưa ra",
    "areas.reorg.team": "Tổ",
    "areas.reorg.user": "Tài khoản",
    "areas.reorg.business": "Cơ sở",
    "areas.reorg.unknownBusiness": "Cơ sở không còn trong danh sách",
    "areas.reorg.ending": "Đơn vị kết thúc",
  },
  en: {
    "areas.nav": "Areas",
    "areas.title": "Administrative units",
    "areas.on": "On",
    "areas.onHint": "The units in force that day. From 1 July 2025 there is no district level; before, the districts and wards of the old Can Tho city.",
    "areas.show": "Show",
    "areas.today": "Today",
    "areas.counts": "In force on {date}:",
    "areas.none": "No unit is in force that day.",
    "areas.importLink": "Import boundaries",
    "areas.reorgLink": "Reorganisations of the units",
    "areas.code": "Code",
    "areas.children": "{n} units under it",
    "areas.back": "‹ The unit tree",
    "areas.unit.type": "Type",
    "areas.unit.code": "Official (GSO) code",
    "areas.unit.version": "Version id",
    "areas.unit.level": "Level",
    "areas.unit.from": "In force from",
    "areas.unit.to": "In force until",
    "areas.unit.open": "in force",
    "areas.unit.since": "(start not known)",
    "areas.unit.parent": "Parent unit",
    "areas.unit.noParent": "None (the root)",
    "areas.unit.businesses": "Businesses in the unit now",
    "areas.unit.businessesEnded": "The unit is no longer in force: its businesses moved to the new units.",
    "areas.unit.children": "Units under it",
    "areas.unit.noChildren": "No unit under it.",
    "areas.unit.formedFrom": "Formed from",
    "areas.unit.became": "Went into",
    "areas.unit.outline": "Boundary",
    "areas.unit.noOutline": "This unit has no boundary yet. An administrator can import boundaries from a GeoJSON file.",
    "areas.unit.external": "a unit of another province (code {code})",
    "areas.unit.mapLabel": "Map of the boundary of {name}",
    "areas.level.city": "Centrally governed city",
    "areas.level.province": "Province",
    "areas.level.district": "District level",
    "areas.level.ward": "Commune level (under a district)",
    "areas.level.commune": "Commune level",
    "areas.part.full": "in full",
    "areas.part.partial": "in part",
    "areas.adminOnly": "Only an administrator can do this; you can read everything.",
    "areas.import.title": "Import the boundaries of administrative units",
    "areas.import.step1": "Step 1: choose the file and check it",
    "areas.import.step2": "Step 2: read the check, then confirm",
    "areas.import.file": "Boundary file (GeoJSON: a FeatureCollection of Polygons and MultiPolygons)",
    "areas.import.property": "Property names of the fields (optional)",
    "areas.import.propertyHint": "Only for a file named neither as kiemtra, GSO, GADM nor OpenStreetMap name them. For example: code=MaXa,name=TenXa,parent=MaHuyen",
    "areas.import.validFrom": "In force from (optional)",
    "areas.import.validFromHint": "For the units of the file that give no start, for example 1 July 2025 for the 2025 map.",
    "areas.import.hint": "Nothing is saved at this step: the server reads the file and reports each problem and warning.",
    "areas.import.check": "Check the file",
    "areas.import.checking": "Checking…",
    "areas.import.noFile": "Choose a file.",
    "areas.import.summary": "The file has {features} units (named {source}): {created} new, {updated} updated.",
    "areas.import.problemsSummary": "The file has {n} problems, so nothing is imported. Correct the file and check it again.",
    "areas.import.okSummary": "No problem: the file can be imported.",
    "areas.import.done": "Imported: {created} new units, {updated} updated.",
    "areas.import.problems": "Problems (the file is refused)",
    "areas.import.noProblems": "No problem.",
    "areas.import.warnings": "Warnings (the file is imported anyway)",
    "areas.import.warningsOmitted": "{n} more warnings are not listed.",
    "areas.import.units": "The units of the file",
    "areas.import.feature": "Feature",
    "areas.import.unit": "Unit",
    "areas.import.message": "Message",
    "areas.import.action": "Will be",
    "areas.import.confirm": "Confirm the import",
    "areas.import.confirming": "Importing…",
    "areas.import.other": "Choose another file",
    "areas.import.featureN": "Feature {n}",
    "areas.action.created": "created",
    "areas.action.new_version": "a new version",
    "areas.action.updated": "updated",
    "areas.source.kiemtra": "as kiemtra names them",
    "areas.source.gso": "with GSO codes",
    "areas.source.gadm": "as GADM",
    "areas.source.osm": "as OpenStreetMap",
    "areas.source.mapping": "by the property names given",
    "areas.field.file": "File",
    "areas.field.properties": "The file's properties",
    "areas.field.property": "Property names",
    "areas.field.valid_from": "In force from",
    "areas.field.on": "On",
    "areas.field.units": "Unit",
    "areas.field.area_code": "Unit",
    "areas.field.areas": "Units",
    "areas.reorg.title": "Reorganisations of the units",
    "areas.reorg.hint": "A reorganisation is a file: its effective date and, for each new unit, the old units it was formed from (in full or in part). It is imported as a draft, its open cases are decided, then it is applied once.",
    "areas.reorg.none": "No reorganisation yet.",
    "areas.reorg.col.name": "Name",
    "areas.reorg.col.effective": "Effective on",
    "areas.reorg.col.status": "Status",
    "areas.reorg.col.created": "Imported",
    "areas.reorg.col.applied": "Applied",
    "areas.reorg.status.draft": "Draft",
    "areas.reorg.status.applied": "Applied",
    "areas.reorg.import": "Import a reorganisation file",
    "areas.reorg.file": "Reorganisation file (JSON: name, effective date, parent unit, the new units and what they were formed from)",
    "areas.reorg.fileHint": "The check saves nothing: the server reports the new units, the units that end, the businesses that move and the problems.",
    "areas.reorg.save": "Save as a draft",
    "areas.reorg.saving": "Saving…",
    "areas.reorg.refused": "The reorganisation has problems and was not saved:",
    "areas.reorg.checked": "The check of the file",
    "areas.reorg.backList": "‹ Reorganisations",
    "areas.reorg.effective": "Effective on {date}",
    "areas.reorg.summary": "{units} new units; {ending} units end on {before}; {moved} businesses and {tips} tips move.",
    "areas.reorg.counts": "Businesses before and after: {before} → {after}; open tasks: {tasksBefore} → {tasksAfter}; tips: {tipsBefore} → {tipsAfter}.",
    "areas.reorg.external": "Units of another province merged in (not in this database): {n}.",
    "areas.reorg.units": "The new units",
    "areas.reorg.col.unit": "New unit",
    "areas.reorg.col.fromFull": "Takes in full",
    "areas.reorg.col.fromPart": "Takes in part",
    "areas.reorg.col.businesses": "Businesses moving in",
    "areas.reorg.col.byPolygon": "by boundary",
    "areas.reorg.col.toReview": "to review",
    "areas.reorg.problems": "Problems (the file must be corrected)",
    "areas.reorg.open": "{n} decisions are still open.",
    "areas.reorg.allSettled": "Every case is decided: the reorganisation can be applied.",
    "areas.reorg.review": "Businesses of split units ({n})",
    "areas.reorg.reviewHint": "These businesses lie within no new unit's boundary: choose the new unit of each, by clicking a boundary on the map or in the list. The proposed (nearest) unit has a thick border.",
    "areas.reorg.noReview": "No business to review: each is placed by a boundary or by the unit that takes its unit whole.",
    "areas.reorg.case": "{name}",
    "areas.reorg.caseFrom": "now in {unit}",
    "areas.reorg.proposed": "proposed",
    "areas.reorg.settledTo": "chosen: {unit}",
    "areas.reorg.openCase": "open",
    "areas.reorg.choose": "Choose the new unit of {name}",
    "areas.reorg.mapLabel": "Map: where {name} is and the boundaries of the new units that may take it",
    "areas.reorg.noOutlines": "The reorganisation file gives no boundaries of the new units: the map shows their centres only.",
    "areas.reorg.settledNow": "{name} goes to {unit}.",
    "areas.reorg.prevPage": "Previous page",
    "areas.reorg.nextPage": "Next page",
    "areas.reorg.pageOf": "{from}–{to} of {n}",
    "areas.reorg.teams": "Teams whose units end ({n})",
    "areas.reorg.teamsHint": "Choose the new units the team serves from the effective date (hold Ctrl to choose several).",
    "areas.reorg.users": "Accounts whose jurisdiction ends ({n})",
    "areas.reorg.usersHint": "Choose the account's jurisdiction from the effective date.",
    "areas.reorg.now": "Now: {units}",
    "areas.reorg.saveDecision": "Save the decision",
    "areas.reorg.saved": "Saved.",
    "areas.reorg.acceptAll": "Accept every remaining proposal",
    "areas.reorg.accepted": "{n} proposals accepted.",
    "areas.reorg.apply": "Apply the reorganisation",
    "areas.reorg.applyBlocked": "It can be applied once every case is decided and the file has no problem.",
    "areas.reorg.applyConfirm": "Apply from {date}: {units} new units, {ending} units end, {moved} businesses move. This is done once and cannot be undone.",
    "areas.reorg.applyYes": "Confirm: apply",
    "areas.reorg.applying": "Applying…",
    "areas.reorg.applied": "The reorganisation is applied.",
    "areas.reorg.appliedBy": "Applied by {who} at {when}.",
    "areas.reorg.createdBy": "Imported by {who} at {when}.",
    "areas.reorg.createdByAt": "Imported at {when}.",
    "areas.reorg.appliedByAt": "Applied at {when}.",
    "areas.reorg.cancel": "Cancel",
    "areas.reorg.decisions": "The decisions taken",
    "areas.reorg.team": "Team",
    "areas.reorg.user": "Account",
    "areas.reorg.business": "Business",
    "areas.reorg.unknownBusiness": "A business no longer in the registry",
    "areas.reorg.ending": "Units that end",
  },
};

// The day the tree is shown on outlives a visit to a unit.
const state = {
  /** @type {string} YYYY-MM-DD, "" for today */
  on: "",
  /** @type {string} the server's today (its answer without a day), once known */
  today: "",
};

/**
 * @param {HTMLElement} el
 * @param {DeskContext} ctx
 */
async function render(el, ctx) {
  const [first, second] = ctx.path;
  if (!first) return renderTree(el, ctx);
  if (first === "import") return renderImport(el, ctx);
  if (first === "reorganisations") return second ? renderReorg(el, ctx, second) : renderReorgs(el, ctx);
  return renderUnit(el, ctx, first);
}

/** @param {DeskContext} ctx */
function isAdmin(ctx) {
  return !!ctx.user && ctx.user.role === "admin";
}

/**
 * labels names the API's fields as the screens do.
 * @param {DeskContext["t"]} t
 */
function labels(t) {
  /** @type {Record<string, string>} */
  const out = {};
  for (const k of ["file", "properties", "property", "valid_from", "on", "units", "area_code", "areas"]) out[k] = t("areas.field." + k);
  return out;
}

/**
 * msg is a server message in the user's language.
 * @param {DeskContext} ctx
 * @param {{message: string, message_vi?: string}} p
 */
function msg(ctx, p) {
  return ctx.lang === "vi" ? p.message_vi || p.message : p.message;
}

/** today is the day in Vietnam (YYYY-MM-DD). */
function today() {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Ho_Chi_Minh", year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
}

/**
 * dayBefore is the day before an ISO day.
 * @param {string} iso
 */
function dayBefore(iso) {
  const [y, m, d] = iso.slice(0, 10).split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d - 1)).toISOString().slice(0, 10);
}

/**
 * unitHref links a unit version's page.
 * @param {string} code
 */
function unitHref(code) {
  return `#/areas/${encodeURIComponent(code)}`;
}

/**
 * unitLabel names a unit with its official code beside.
 * @param {{name: string, gso_code?: string, code: string}} a
 */
function unitLabel(a) {
  const code = a.gso_code || a.code.split("@")[0];
  return `${a.name} (${code})`;
}

/**
 * adminNote says who can do what a planner sees greyed.
 * @param {DeskContext} ctx
 * @param {string} id
 */
function adminNote(ctx, id) {
  return isAdmin(ctx) ? null : h("p", { class: "muted areas-admin-note", id }, ctx.t("areas.adminOnly"));
}

/**
 * @param {HTMLElement} el
 * @param {DeskContext} ctx
 */
async function renderTree(el, ctx) {
  const { t, fmt } = ctx;
  ctx.setTitle(t("areas.title"));
  const day = state.on || state.today || today();
  const input = /** @type {HTMLInputElement} */ (h("input", { type: "date", id: "areas-on", name: "on", value: day, required: true, "aria-describedby": "areas-on-hint" }));
  const errors = h("div", { id: "areas-error", hidden: true });
  const body = h("div", { id: "areas-tree" }, h("p", { class: "muted loading" }, t("loading")));
  const form = h("form", { class: "card", id: "areas-form" },
    h("div", { class: "areas-head" },
      h("h1", {}, t("areas.title")),
      h("div", { class: "row" },
        h("a", { class: "button secondary", href: "#/areas/import", id: "areas-import-link" }, t("areas.importLink")),
        h("a", { class: "button secondary", href: "#/areas/reorganisations", id: "areas-reorg-link" }, t("areas.reorgLink")))),
    h("div", { class: "row" },
      h("div", {}, h("label", { for: "areas-on" }, t("areas.on")), input),
      h("button", { type: "submit", id: "areas-show" }, t("areas.show")),
      h("button", { type: "button", class: "secondary", id: "areas-today", onclick: () => { state.on = ""; renderTree(el, ctx); } }, t("areas.today"))),
    h("p", { class: "muted areas-hint", id: "areas-on-hint" }, t("areas.onHint")),
    errors);
  form.addEventListener("submit", ev => {
    ev.preventDefault();
    state.on = input.value === state.today ? "" : input.value;
    renderTree(el, ctx);
  });
  el.replaceChildren(form, body);
  let got;
  try {
    got = await ctx.api.get("/api/v1/areas" + query({ on: state.on }));
    if (!state.on && got.on) state.today = input.value = got.on;
  } catch (ex) {
    ctx.showError(errors, ex, labels(t));
    body.replaceChildren();
    return;
  }
  /** @type {AreaNode[]} */
  const roots = got.items || [];
  if (!roots.length) {
    body.replaceChildren(h("section", { class: "card" }, h("p", { class: "muted" }, t("areas.none"))));
    return;
  }
  // The counts name each type as the units do (Quận, Huyện, Phường, Xã, Đặc khu).
  /** @type {Map<string, number>} */
  const byType = new Map();
  const count = (/** @type {AreaNode[]} */ ns) => {
    for (const n of ns) {
      const k = n.type_name || t("areas.level." + n.level);
      byType.set(k, (byType.get(k) || 0) + 1);
      count(n.children || []);
    }
  };
  count(roots);
  const summary = h("p", { id: "areas-counts" }, h("b", {}, t("areas.counts", { date: fmt.date(got.on || day) })), " ",
    Array.from(byType, ([k, n]) => `${fmt.num(n)} ${k.toLocaleLowerCase(ctx.lang === "vi" ? "vi-VN" : "en-GB")}`).join(" · "));
  const node = (/** @type {AreaNode} */ n) => {
    const kids = n.children || [];
    const link = h("a", { href: unitHref(n.code) }, n.name);
    const meta = h("span", { class: "muted areas-meta" }, ` · ${t("areas.code")} ${n.gso_code}`);
    if (!kids.length) return h("li", { dataset: { code: n.code } }, link, meta);
    return h("li", { dataset: { code: n.code } },
      h("details", { open: kids.some(k => (k.children || []).length) ? undefined : true },
        h("summary", {}, link, meta, h("span", { class: "muted areas-meta" }, " · " + t("areas.children", { n: fmt.num(kids.length) }))),
        h("ul", { class: "areas-list" }, kids.map(node))));
  };
  body.replaceChildren(h("section", { class: "card" }, summary,
    roots.map(r => h("div", { class: "areas-root" },
      h("h2", {}, h("a", { href: unitHref(r.code) }, r.name), h("span", { class: "muted areas-meta" }, ` · ${t("areas.code")} ${r.gso_code}`)),
      h("ul", { class: "areas-list areas-top" }, (r.children || []).map(node))))));
}

/**
 * @param {HTMLElement} el
 * @param {DeskContext} ctx
 * @param {string} code
 */
async function renderUnit(el, ctx, code) {
  const { t, fmt } = ctx;
  /** @type {AreaDetail} */
  const a = await ctx.api.get(`/api/v1/areas/${encodeURIComponent(code)}` + query({ on: state.on }));
  ctx.setTitle(a.name);
  const inForce = !a.valid_to || a.valid_to >= (state.today || today());
  const [parent, count] = await Promise.all([
    a.parent_code ? ctx.api.get(`/api/v1/areas/${encodeURIComponent(a.parent_code)}`).catch(() => null) : Promise.resolve(null),
    inForce ? ctx.api.get("/api/v1/businesses" + query({ area: a.code, limit: 1 })).then(r => r.total, () => null) : Promise.resolve(null),
  ]);
  const link = (/** @type {AreaLink} */ l) => h("li", {},
    l.name ? h("a", { href: unitHref(l.code) }, unitLabel(l)) : t("areas.unit.external", { code: l.code }),
    ` (${t("areas.part." + l.part)}`, l.valid_from || l.valid_to ? `; ${fmt.date(l.valid_from)} – ${l.valid_to ? fmt.date(l.valid_to) : t("areas.unit.open")})` : ")");
  const row = (label, value, id) => [h("dt", {}, label), h("dd", id ? { id } : {}, value)];
  const map = h("div", { class: "areas-map", id: "areas-unit-map" });
  el.replaceChildren(
    h("p", {}, h("a", { href: "#/areas" }, t("areas.back"))),
    h("div", { class: "areas-grid" },
      h("section", { class: "card", id: "areas-unit" },
        h("h1", { id: "areas-unit-name" }, a.name),
        h("dl", { class: "areas-dl" },
          row(t("areas.unit.type"), a.type_name || "–"),
          row(t("areas.unit.level"), t("areas.level." + a.level)),
          row(t("areas.unit.code"), a.gso_code),
          a.code !== a.gso_code ? row(t("areas.unit.version"), a.code) : [],
          row(t("areas.unit.from"), a.valid_from ? fmt.date(a.valid_from) : t("areas.unit.since"), "areas-unit-from"),
          row(t("areas.unit.to"), a.valid_to ? fmt.date(a.valid_to) : t("areas.unit.open"), "areas-unit-to"),
          row(t("areas.unit.parent"), parent ? h("a", { href: unitHref(parent.code) }, unitLabel(parent)) : t("areas.unit.noParent")),
          row(t("areas.unit.businesses"), count === null ? (inForce ? "–" : t("areas.unit.businessesEnded"))
            : fmt.num(count), "areas-unit-businesses")),
        a.formed_from && a.formed_from.length ? [h("h2", {}, t("areas.unit.formedFrom")), h("ul", { id: "areas-unit-from-list" }, a.formed_from.map(link))] : null,
        a.became && a.became.length ? [h("h2", {}, t("areas.unit.became")), h("ul", { id: "areas-unit-became" }, a.became.map(link))] : null,
        h("h2", {}, t("areas.unit.children")),
        a.children.length ? h("ul", { class: "areas-children", id: "areas-unit-children" }, a.children.map(c => h("li", {}, h("a", { href: unitHref(c.code) }, c.name))))
          : h("p", { class: "muted" }, t("areas.unit.noChildren"))),
      h("section", { class: "card" }, h("h2", {}, t("areas.unit.outline")), map)));
  if (a.geometry) {
    areaMap(map, [{ id: a.code, geometry: a.geometry, label: a.name, cls: "am-unit" }], [], { label: t("areas.unit.mapLabel", { name: a.name }) });
  } else {
    map.replaceChildren(h("p", { class: "muted" }, t("areas.unit.noOutline")));
  }
}

/**
 * @typedef {{id: string, geometry?: any, lat?: number, lon?: number, label: string, cls?: string}} MapArea
 * @typedef {{id: string, lat: number, lon: number, label: string}} MapMark
 */

/**
 * areaMap draws outlines (and, for an area without one, its centre) with marks over them; an
 * area is chosen by a click on it or Enter, which onArea hears.
 * @param {HTMLElement} el
 * @param {MapArea[]} areas
 * @param {MapMark[]} marks
 * @param {{label?: string, onArea?: (id: string) => void}} [opts]
 */
function areaMap(el, areas, marks, opts = {}) {
  const NS = "http://www.w3.org/2000/svg";
  const svg = (name, attrs) => {
    const e = document.createElementNS(NS, name);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
    return e;
  };
  const b = boundsOf(areas.filter(a => a.geometry));
  for (const p of [...marks, ...areas.filter(a => !a.geometry && a.lat)]) {
    const lat = /** @type {number} */ (p.lat), lon = /** @type {number} */ (p.lon);
    b[0] = Math.min(b[0], lon); b[1] = Math.min(b[1], lat); b[2] = Math.max(b[2], lon); b[3] = Math.max(b[3], lat);
  }
  if (!Number.isFinite(b[0])) return;
  const padLon = Math.max(0.003, (b[2] - b[0]) * 0.06), padLat = Math.max(0.003, (b[3] - b[1]) * 0.06);
  const proj = new Projection([b[0] - padLon, b[1] - padLat, b[2] + padLon, b[3] + padLat]);
  const hgt = Math.max(240, proj.height);
  const root = svg("svg", { viewBox: `0 0 ${WIDTH} ${hgt.toFixed(0)}`, class: "area-map", role: "img" });
  if (opts.label) root.setAttribute("aria-label", opts.label);
  root.append(svg("rect", { x: 0, y: 0, width: WIDTH, height: hgt.toFixed(0), class: "am-bg" }));
  const pt = (lon, lat) => proj.x(lon).toFixed(1) + "," + proj.y(lat).toFixed(1);
  for (const a of areas) {
    const g = svg("g", { class: "am-area " + (a.cls || ""), "data-id": a.id });
    const title = svg("title", {});
    title.textContent = a.label;
    g.append(title);
    let d = "";
    for (const poly of polygons(a.geometry)) {
      for (const ring of poly) d += "M" + ring.map(([lon, lat]) => pt(lon, lat)).join("L") + "Z";
    }
    if (d) g.append(svg("path", { d, "fill-rule": "evenodd" }));
    if (!d && a.lat) g.append(svg("circle", { cx: proj.x(/** @type {number} */ (a.lon)), cy: proj.y(a.lat), r: 22, class: "am-centre" }));
    if (opts.onArea && a.cls !== "am-source") {
      g.setAttribute("tabindex", "0");
      g.setAttribute("role", "button");
      g.setAttribute("aria-label", a.label);
      const choose = (ev) => { ev.preventDefault(); opts.onArea?.(a.id); };
      g.addEventListener("click", choose);
      g.addEventListener("keydown", ev => { if (ev.key === "Enter" || ev.key === " ") choose(ev); });
    }
    root.append(g);
  }
  // The names on top of every outline, at the centre given (or the outline's box centre).
  for (const a of areas) {
    if (a.cls === "am-source") continue;
    let lon = a.lon, lat = a.lat;
    if (!lat && a.geometry) {
      const ab = boundsOf([a]);
      lon = (ab[0] + ab[2]) / 2; lat = (ab[1] + ab[3]) / 2;
    }
    if (!lat) continue;
    const text = svg("text", { x: proj.x(/** @type {number} */ (lon)), y: proj.y(lat), class: "am-name", "text-anchor": "middle" });
    text.textContent = a.label;
    root.append(text);
  }
  for (const m of marks) {
    const g = svg("g", { class: "am-mark" });
    const title = svg("title", {});
    title.textContent = m.label;
    g.append(title, svg("circle", { cx: proj.x(m.lon), cy: proj.y(m.lat), r: 11 }));
    root.append(g);
  }
  el.replaceChildren(root);
}

/**
 * problemTable lists an import's problems or warnings.
 * @param {DeskContext} ctx
 * @param {ImportProblem[]} list
 * @param {string} id
 * @param {Map<string, string>} names the units' names in the file, by code
 */
function problemTable(ctx, list, id, names) {
  const { t } = ctx;
  const cols = [t("areas.import.feature"), t("areas.import.unit"), t("areas.import.message")];
  return h("div", { class: "table-wrap" }, h("table", { class: "areas-table", id },
    h("thead", {}, h("tr", {}, cols.map(c => h("th", { scope: "col" }, c)))),
    h("tbody", {}, list.map(p => h("tr", {},
      h("td", { "data-label": cols[0] }, problemFeature(t, p.feature || "")),
      h("td", { "data-label": cols[1] }, names.get(p.code) ? `${names.get(p.code)} (${p.code})` : p.code || "–"),
      h("td", { "data-label": cols[2] }, msg(ctx, p)))))));
}

/**
 * renderImport is a boundary import's two steps: the dry run's report, then the import.
 * @param {HTMLElement} el
 * @param {DeskContext} ctx
 */
function renderImport(el, ctx) {
  const { t, fmt } = ctx;
  ctx.setTitle(t("areas.import.title"));
  const admin = isAdmin(ctx);
  const input = /** @type {HTMLInputElement} */ (h("input", { type: "file", id: "areas-import-file", accept: ".geojson,.json,application/geo+json,application/json",
    "aria-describedby": "areas-import-hint areas-import-file-error", disabled: !admin }));
  const property = /** @type {HTMLInputElement} */ (h("input", { type: "text", id: "areas-import-property", name: "property", maxlength: 400, autocomplete: "off",
    spellcheck: "false", placeholder: "code=MaXa,name=TenXa", "aria-describedby": "areas-import-property-hint", disabled: !admin }));
  const validFrom = /** @type {HTMLInputElement} */ (h("input", { type: "date", id: "areas-import-valid-from", name: "valid_from", "aria-describedby": "areas-import-valid-from-hint", disabled: !admin }));
  const fileError = h("p", { id: "areas-import-file-error", class: "field-error", hidden: true });
  const errors = h("div", { id: "areas-import-error", hidden: true });
  const check = /** @type {HTMLButtonElement} */ (h("button", { type: "submit", id: "areas-import-check", disabled: !admin }, t("areas.import.check")));
  const report = h("div", { id: "areas-import-report" });
  const form = h("form", { class: "card", id: "areas-import-form" },
    h("h1", {}, t("areas.import.title")),
    adminNote(ctx, "areas-import-note"),
    h("h2", {}, t("areas.import.step1")),
    h("label", { for: "areas-import-file" }, t("areas.import.file")), input, fileError,
    h("div", { class: "areas-fields" },
      h("div", {}, h("label", { for: "areas-import-property" }, t("areas.import.property")), property,
        h("p", { class: "muted areas-hint", id: "areas-import-property-hint" }, t("areas.import.propertyHint"))),
      h("div", {}, h("label", { for: "areas-import-valid-from" }, t("areas.import.validFrom")), validFrom,
        h("p", { class: "muted areas-hint", id: "areas-import-valid-from-hint" }, t("areas.import.validFromHint")))),
    h("p", { class: "muted areas-hint", id: "areas-import-hint" }, t("areas.import.hint")),
    errors,
    h("div", { class: "row" }, check, h("a", { class: "button secondary", href: "#/areas" }, t("areas.reorg.cancel"))));
  const fields = () => ({ property: property.value.trim(), valid_from: validFrom.value });
  const run = async (/** @type {File} */ file, /** @type {boolean} */ dry) => {
    const got = await postFile(ctx, "/api/v1/areas/import" + query({ dry_run: dry ? "true" : "" }), file, fields());
    if (!got.ok) throw got.error;
    return /** @type {ImportReport} */ (got.body);
  };
  const showReport = (/** @type {ImportReport} */ r, /** @type {File} */ file) => {
    const names = new Map(r.units.map(u => [u.code, u.name]));
    const problems = r.problems || [], warnings = r.warnings || [];
    const bad = problems.length > 0;
    const confirm = /** @type {HTMLButtonElement} */ (h("button", { type: "button", id: "areas-import-confirm", disabled: bad || !admin }, t("areas.import.confirm")));
    const confirmError = h("div", { hidden: true });
    confirm.addEventListener("click", async () => {
      confirm.disabled = true;
      confirm.textContent = t("areas.import.confirming");
      confirmError.hidden = true;
      try {
        showReport(await run(file, false), file);
      } catch (ex) {
        ctx.showError(confirmError, ex, labels(t));
        confirm.disabled = false;
        confirm.textContent = t("areas.import.confirm");
      }
    });
    const counts = { features: fmt.num(r.features), source: t("areas.source." + r.source), created: fmt.num(r.created), updated: fmt.num(r.updated) };
    const cols = [t("areas.import.feature"), t("areas.import.unit"), t("areas.unit.level"), t("areas.unit.from"), t("areas.import.action")];
    report.replaceChildren(h("section", { class: "card", id: "areas-import-result" },
      h("h2", {}, r.dry_run ? t("areas.import.step2") : t("areas.importLink")),
      h("p", {}, t("areas.import.summary", counts)),
      h("p", { id: "areas-import-summary", class: bad ? "alert" : "notice" },
        bad ? t("areas.import.problemsSummary", { n: fmt.num(problems.length) }) : r.dry_run ? t("areas.import.okSummary") : t("areas.import.done", counts)),
      h("h3", {}, t("areas.import.problems")),
      bad ? problemTable(ctx, problems, "areas-import-problems", names) : h("p", { class: "muted" }, t("areas.import.noProblems")),
      warnings.length ? [h("h3", {}, t("areas.import.warnings")), problemTable(ctx, warnings, "areas-import-warnings", names)] : null,
      r.warnings_omitted ? h("p", { class: "muted" }, t("areas.import.warningsOmitted", { n: fmt.num(r.warnings_omitted) })) : null,
      r.units.length && !bad ? [h("h3", {}, t("areas.import.units")), h("div", { class: "table-wrap" }, h("table", { class: "areas-table", id: "areas-import-units" },
        h("thead", {}, h("tr", {}, cols.map(c => h("th", { scope: "col" }, c)))),
        h("tbody", {}, r.units.map(u => h("tr", {},
          h("td", { "data-label": cols[0] }, problemFeature(t, u.feature)),
          h("td", { "data-label": cols[1] }, `${u.name} (${u.gso_code})`),
          h("td", { "data-label": cols[2] }, t("areas.level." + u.level)),
          h("td", { "data-label": cols[3] }, u.valid_from ? fmt.date(u.valid_from) : "–"),
          h("td", { "data-label": cols[4] }, t("areas.action." + u.action)))))))] : null,
      confirmError,
      h("div", { class: "row" },
        r.dry_run ? confirm : null,
        h("button", { type: "button", class: "secondary", onclick: () => { input.value = ""; report.replaceChildren(); input.focus(); } }, t("areas.import.other")))));
    report.scrollIntoView({ block: "start" });
  };
  bindFileCheck(/** @type {HTMLFormElement} */ (form), {
    input, fileError, check,
    texts: { noFile: t("areas.import.noFile"), checking: t("areas.import.checking"), check: t("areas.import.check") },
    clear: () => { errors.hidden = true; report.replaceChildren(); },
    run: async file => showReport(await run(file, true), file),
    fail: ex => ctx.showError(errors, ex, labels(t)),
  });
  el.replaceChildren(h("p", {}, h("a", { href: "#/areas" }, t("areas.back"))), form, report);
}

/**
 * problemFeature names a feature of the file ("features[3]" is the fourth).
 * @param {DeskContext["t"]} t
 * @param {string} f
 */
function problemFeature(t, f) {
  const m = /^features\[(\d+)\]/.exec(f || "");
  return m ? t("areas.import.featureN", { n: Number(m[1]) + 1 }) : f || "–";
}

/**
 * @param {DeskContext} ctx
 * @param {string} status
 */
function statusBadge(ctx, status) {
  return h("span", { class: "badge " + (status === "applied" ? "ok" : "warn") }, ctx.t("areas.reorg.status." + status));
}

/**
 * @param {HTMLElement} el
 * @param {DeskContext} ctx
 */
async function renderReorgs(el, ctx) {
  const { t, fmt } = ctx;
  ctx.setTitle(t("areas.reorg.title"));
  const got = await ctx.api.get("/api/v1/areas/reorganisations");
  /** @type {Reorganisation[]} */
  const items = got.items || [];
  const cols = [t("areas.reorg.col.name"), t("areas.reorg.col.effective"), t("areas.reorg.col.status"), t("areas.reorg.col.created"), t("areas.reorg.col.applied")];
  const admin = isAdmin(ctx);
  const input = /** @type {HTMLInputElement} */ (h("input", { type: "file", id: "areas-reorg-file", accept: ".json,application/json", disabled: !admin, "aria-describedby": "areas-reorg-file-hint areas-reorg-file-error" }));
  const fileError = h("p", { id: "areas-reorg-file-error", class: "field-error", hidden: true });
  const errors = h("div", { id: "areas-reorg-import-error", hidden: true });
  const check = /** @type {HTMLButtonElement} */ (h("button", { type: "submit", id: "areas-reorg-check", disabled: !admin }, t("areas.import.check")));
  const result = h("div", { id: "areas-reorg-dry" });
  const form = h("form", { class: "card", id: "areas-reorg-form" },
    h("h2", {}, t("areas.reorg.import")),
    adminNote(ctx, "areas-reorg-note"),
    h("label", { for: "areas-reorg-file" }, t("areas.reorg.file")), input, fileError,
    h("p", { class: "muted areas-hint", id: "areas-reorg-file-hint" }, t("areas.reorg.fileHint")),
    errors,
    h("div", { class: "row" }, check));
  const send = async (/** @type {File} */ file, /** @type {boolean} */ dry) => {
    errors.hidden = true;
    const got = await postFile(ctx, "/api/v1/areas/reorganisations" + query({ dry_run: dry ? "true" : "" }), file);
    if (got.ok) return /** @type {ReorgReport} */ (got.body);
    if (got.body && got.body.report) {
      // Refused for its problems: the report says which.
      result.replaceChildren(h("section", { class: "card", id: "areas-reorg-dry-result" },
        h("h2", {}, t("areas.reorg.checked")),
        h("p", { class: "alert", id: "areas-reorg-refused" }, t("areas.reorg.refused")),
        reorgProblems(ctx, got.body.report)));
      return null;
    }
    throw got.error;
  };
  bindFileCheck(/** @type {HTMLFormElement} */ (form), {
    input, fileError, check,
    texts: { noFile: t("areas.import.noFile"), checking: t("areas.import.checking"), check: t("areas.import.check") },
    clear: () => { errors.hidden = true; result.replaceChildren(); },
    fail: ex => ctx.showError(errors, ex, labels(t)),
    run: async file => {
      const r = await send(file, true);
      if (!r) return;
      const bad = r.problems.length > 0;
      const save = /** @type {HTMLButtonElement} */ (h("button", { type: "button", id: "areas-reorg-save", disabled: bad }, t("areas.reorg.save")));
      const saveError = h("div", { hidden: true });
      save.addEventListener("click", async () => {
        save.disabled = true;
        save.textContent = t("areas.reorg.saving");
        try {
          const saved = await send(file, false);
          if (saved && saved.id) ctx.go(`#/areas/reorganisations/${encodeURIComponent(saved.id)}`);
        } catch (ex) {
          ctx.showError(saveError, ex, labels(t));
          save.disabled = false;
          save.textContent = t("areas.reorg.save");
        }
      });
      result.replaceChildren(h("section", { class: "card", id: "areas-reorg-dry-result" },
        h("h2", {}, t("areas.reorg.checked")),
        reorgSummary(ctx, r),
        reorgProblems(ctx, r),
        reorgUnits(ctx, r, new Map()),
        saveError,
        h("div", { class: "row" }, save)));
      result.scrollIntoView({ block: "start" });
    },
  });
  el.replaceChildren(
    h("p", {}, h("a", { href: "#/areas" }, t("areas.back"))),
    h("section", { class: "card" },
      h("h1", {}, t("areas.reorg.title")),
      h("p", { class: "muted" }, t("areas.reorg.hint")),
      items.length ? h("div", { class: "table-wrap" }, h("table", { class: "areas-table", id: "areas-reorgs" },
        h("thead", {}, h("tr", {}, cols.map(c => h("th", { scope: "col" }, c)))),
        h("tbody", {}, items.map(r => h("tr", {},
          h("td", { "data-label": cols[0] }, h("a", { href: `#/areas/reorganisations/${encodeURIComponent(r.id)}` }, r.name)),
          h("td", { "data-label": cols[1] }, fmt.date(r.effective_on)),
          h("td", { "data-label": cols[2] }, statusBadge(ctx, r.status)),
          h("td", { "data-label": cols[3] }, fmt.dateTime(r.created_at)),
          h("td", { "data-label": cols[4] }, r.applied_at ? fmt.dateTime(r.applied_at) : "–"))))))
        : h("p", { class: "muted" }, t("areas.reorg.none"))),
    form, result);
}

/**
 * reorgSummary says what applying does.
 * @param {DeskContext} ctx
 * @param {ReorgReport} r
 */
function reorgSummary(ctx, r) {
  const { t, fmt } = ctx;
  return h("div", { class: "areas-summary" },
    h("p", { id: "areas-reorg-summary" }, t("areas.reorg.summary", { units: fmt.num(r.units.length), ending: fmt.num(r.ending.length),
      before: fmt.date(dayBefore(r.effective_on)), moved: fmt.num(r.moved_businesses), tips: fmt.num(r.moved_tips) })),
    r.status === "applied" ? null : h("p", {}, t("areas.reorg.counts", { before: fmt.num(r.before.businesses), after: fmt.num(r.after.businesses),
      tasksBefore: fmt.num(r.before.open_tasks), tasksAfter: fmt.num(r.after.open_tasks), tipsBefore: fmt.num(r.before.tips), tipsAfter: fmt.num(r.after.tips) })),
    r.external_sources.length ? h("p", { class: "muted" }, t("areas.reorg.external", { n: fmt.num(r.external_sources.length) })) : null);
}

/**
 * @param {DeskContext} ctx
 * @param {ReorgReport} r
 */
function reorgProblems(ctx, r) {
  if (!r.problems || !r.problems.length) return null;
  return [h("h3", {}, ctx.t("areas.reorg.problems")),
    h("ul", { class: "areas-problems", id: "areas-reorg-problems" }, r.problems.map(p => h("li", {}, msg(ctx, p))))];
}

/**
 * reorgUnits lists the new units with what they take.
 * @param {DeskContext} ctx
 * @param {ReorgReport} r
 * @param {Map<string, string>} names the old units' names
 */
function reorgUnits(ctx, r, names) {
  const { t, fmt } = ctx;
  if (!r.units.length) return null;
  const name = (c) => names.get(c) || c;
  const cols = [t("areas.reorg.col.unit"), t("areas.reorg.col.fromFull"), t("areas.reorg.col.fromPart"), t("areas.reorg.col.businesses")];
  return [h("h3", {}, t("areas.reorg.units")), h("div", { class: "table-wrap" }, h("table", { class: "areas-table", id: "areas-reorg-units" },
    h("thead", {}, h("tr", {}, cols.map(c => h("th", { scope: "col" }, c)))),
    h("tbody", {}, r.units.map(u => h("tr", {},
      h("td", { "data-label": cols[0] }, unitLabel(u)),
      h("td", { "data-label": cols[1] }, u.full_from.map(name).join(", ") || "–"),
      h("td", { "data-label": cols[2] }, u.partial_from.map(name).join(", ") || "–"),
      h("td", { "data-label": cols[3] }, fmt.num(u.businesses),
        u.to_review ? ` (${fmt.num(u.by_polygon)} ${t("areas.reorg.col.byPolygon")}, ${fmt.num(u.to_review)} ${t("areas.reorg.col.toReview")})` : ""))))))];
}

/**
 * list parses a JSON array of codes (the items' fields).
 * @param {string} s
 * @returns {string[]}
 */
function list(s) {
  if (!s) return [];
  try {
    const v = JSON.parse(s);
    return Array.isArray(v) ? v.map(String) : [];
  } catch {
    return [];
  }
}

/**
 * @param {HTMLElement} el
 * @param {DeskContext} ctx
 * @param {string} id
 * @param {string} [flash] a message to show on top
 * @param {number} [reviewStart] the first case of the review page
 */
async function renderReorg(el, ctx, id, flash = "", reviewStart = 0) {
  const { t, fmt } = ctx;
  const base = `/api/v1/areas/reorganisations/${encodeURIComponent(id)}`;
  /** @type {[ReorgReport, any, Reorganisation[]]} */
  const [r, review, all] = await Promise.all([
    ctx.api.get(base + "?geometry=true"),
    ctx.api.get(base + "/review"),
    ctx.api.get("/api/v1/areas/reorganisations").then(x => x.items || []),
  ]);
  const rec = all.find(x => x.id === id);
  ctx.setTitle(r.name);
  const draft = r.status === "draft";
  const admin = isAdmin(ctx);
  const canAct = draft && admin;
  // Names: the old units from the tree of the day before, the new ones from the report (or, once
  // applied, from the tree of the day).
  const [before, after, teams, users] = await Promise.all([
    ctx.api.get("/api/v1/areas" + query({ on: dayBefore(r.effective_on) })).catch(() => ({ items: [] })),
    draft ? Promise.resolve({ items: [] }) : ctx.api.get("/api/v1/areas" + query({ on: r.effective_on })).catch(() => ({ items: [] })),
    ctx.api.get("/api/v1/teams").catch(() => ({ items: [] })),
    admin ? ctx.api.get("/api/v1/users").catch(() => ({ items: [] })) : Promise.resolve({ items: [] }),
  ]);
  /** @type {Map<string, string>} */
  const names = new Map();
  const walk = (/** @type {AreaNode[]} */ ns) => { for (const n of ns || []) { names.set(n.code, unitLabel(n)); walk(n.children); } };
  walk(before.items);
  walk(after.items);
  for (const u of r.units) names.set(u.code, unitLabel(u));
  const name = (/** @type {string} */ c) => names.get(c) || c;
  const teamNames = new Map((teams.items || []).map(x => [x.id, x.name]));
  const userNames = new Map((users.items || []).map(x => [x.id, x.display_name ? `${x.display_name} (${x.username})` : x.username]));
  // Who imported and applied: the person's name where the accounts can be read (admins); a
  // planner reads when (a bare username may be a role's name, such as admin).
  const byUsername = new Map((users.items || []).map(x => [x.username, x.display_name || x.username]));
  const byWhom = (/** @type {string} */ key, /** @type {string} */ u, /** @type {string} */ at) => byUsername.has(u)
    ? t("areas.reorg." + key, { who: byUsername.get(u), when: fmt.dateTime(at) }) : t("areas.reorg." + key + "At", { when: fmt.dateTime(at) });
  /** @type {ReorgItem[]} */
  const cases = review.items || [];
  const open = r.open;
  const top = h("div", { id: "areas-reorg-flash" }, flash ? h("p", { class: "notice", role: "status" }, flash) : null);
  const errors = h("div", { id: "areas-reorg-error", hidden: true });
  const reload = (/** @type {string} */ message, start = reviewStart) => renderReorg(el, ctx, id, message, start).catch(ex => ctx.showError(errors, ex, labels(t)));

  // The actions: accept every proposal, apply (with a confirmation).
  const actions = h("div", { id: "areas-reorg-actions" });
  if (draft) {
    const accept = /** @type {HTMLButtonElement} */ (h("button", { type: "button", class: "secondary", id: "areas-reorg-accept", disabled: !canAct || open === 0 }, t("areas.reorg.acceptAll")));
    const apply = /** @type {HTMLButtonElement} */ (h("button", { type: "button", id: "areas-reorg-apply", disabled: !canAct || open > 0 || r.problems.length > 0 }, t("areas.reorg.apply")));
    const confirmBox = h("div", { id: "areas-reorg-confirm", hidden: true });
    accept.addEventListener("click", async () => {
      accept.disabled = true;
      errors.hidden = true;
      try {
        const got = await ctx.api.post(base + "/accept-proposals");
        await reload(t("areas.reorg.accepted", { n: fmt.num(got.settled) }));
      } catch (ex) {
        ctx.showError(errors, ex, labels(t));
        accept.disabled = false;
      }
    });
    apply.addEventListener("click", () => {
      const yes = /** @type {HTMLButtonElement} */ (h("button", { type: "button", class: "danger", id: "areas-reorg-apply-yes" }, t("areas.reorg.applyYes")));
      yes.addEventListener("click", async () => {
        yes.disabled = true;
        yes.textContent = t("areas.reorg.applying");
        errors.hidden = true;
        try {
          await ctx.api.post(base + "/apply");
          await reload(t("areas.reorg.applied"));
        } catch (ex) {
          ctx.showError(errors, ex, labels(t));
          confirmBox.hidden = true;
        }
      });
      confirmBox.replaceChildren(h("div", { class: "warn", role: "alertdialog", "aria-labelledby": "areas-reorg-confirm-text" },
        h("p", { id: "areas-reorg-confirm-text" }, t("areas.reorg.applyConfirm", { date: fmt.date(r.effective_on), units: fmt.num(r.units.length),
          ending: fmt.num(r.ending.length), moved: fmt.num(r.moved_businesses) })),
        h("div", { class: "row" }, yes, h("button", { type: "button", class: "secondary", onclick: () => { confirmBox.hidden = true; apply.focus(); } }, t("areas.reorg.cancel")))));
      confirmBox.hidden = false;
      yes.focus();
    });
    // append writes null as text: wrap what may be absent.
    actions.append(h("div", {},
      h("p", { id: "areas-reorg-open", class: open ? "warn" : "notice" }, open ? t("areas.reorg.open", { n: fmt.num(open) }) : t("areas.reorg.allSettled")),
      h("div", { class: "row" }, accept, apply),
      open > 0 ? h("p", { class: "muted areas-hint" }, t("areas.reorg.applyBlocked")) : null,
      adminNote(ctx, "areas-reorg-note"),
      confirmBox));
  }

  const head = h("section", { class: "card", id: "areas-reorg" },
    h("div", { class: "areas-head" }, h("h1", {}, r.name), statusBadge(ctx, r.status)),
    h("p", {}, t("areas.reorg.effective", { date: fmt.date(r.effective_on) })),
    rec ? h("p", { class: "muted" }, byWhom("createdBy", rec.created_by, rec.created_at),
      rec.applied_at ? " " + byWhom("appliedBy", rec.applied_by, rec.applied_at) : "") : null,
    draft ? reorgSummary(ctx, r) : null,
    reorgProblems(ctx, r),
    actions, errors);

  const sections = [h("p", {}, h("a", { href: "#/areas/reorganisations" }, t("areas.reorg.backList"))), top, head];
  if (draft) sections.push(h("section", { class: "card" }, reorgUnits(ctx, r, names)));
  sections.push(await reviewSection(ctx, r, cases, { name, canAct, base, reload, start: reviewStart }));
  if (r.teams.length) sections.push(decisionSection(ctx, r, r.teams, "team", { name, subject: (s) => teamNames.get(s) || t("areas.reorg.team"), canAct, base, reload }));
  if (r.users.length) sections.push(decisionSection(ctx, r, r.users, "user", { name, subject: (s) => userNames.get(s) || t("areas.reorg.user"), canAct, base, reload }));
  el.replaceChildren(...sections);
}

/**
 * reviewSection lists the businesses of split units, a page at a time, with the chosen one on a
 * map: its point, the outline of the unit it is in now, and the candidates (the proposal drawn
 * thick, the decision filled); a click on a candidate, or its radio, settles the case.
 * @param {DeskContext} ctx
 * @param {ReorgReport} r
 * @param {ReorgItem[]} cases
 * @param {{name: (c: string) => string, canAct: boolean, base: string, reload: (m: string, start?: number) => Promise<void>, start: number}} o
 */
async function reviewSection(ctx, r, cases, o) {
  const { t, fmt } = ctx;
  const sec = h("section", { class: "card", id: "areas-review" }, h("h2", {}, t("areas.reorg.review", { n: fmt.num(cases.length) })));
  if (!cases.length) {
    sec.append(h("p", { class: "muted" }, t("areas.reorg.noReview")));
    return sec;
  }
  if (r.status === "draft") sec.append(h("p", { class: "muted areas-hint" }, t("areas.reorg.reviewHint")));
  // The open cases first, so that the first page is the work left.
  const ordered = [...cases].sort((a, b) => Number(!!a.settled) - Number(!!b.settled));
  const start = Math.min(o.start, Math.max(0, ordered.length - 1));
  const page = ordered.slice(start, start + REVIEW_PAGE);
  /** @type {Map<string, any>} */
  const businesses = new Map();
  await Promise.all(page.map(it => ctx.api.get(`/api/v1/businesses/${encodeURIComponent(it.subject_id)}`)
    .then(b => { businesses.set(it.subject_id, b); }, () => { businesses.set(it.subject_id, null); })));
  /** @type {Map<string, ReorgUnit>} */
  const units = new Map(r.units.map(u => [u.code, u]));
  /** @type {Map<string, any>} */
  const sourceOutlines = new Map();
  const bizName = (id) => (businesses.get(id) ? businesses.get(id).name : t("areas.reorg.unknownBusiness"));
  const listEl = h("ol", { class: "areas-cases", id: "areas-cases", start: start + 1 });
  const panel = h("div", { class: "areas-case", id: "areas-case" });
  const status = h("div", { id: "areas-case-status" });
  let chosen = page.find(it => !it.settled) || page[0];

  const settle = async (/** @type {ReorgItem} */ it, /** @type {string} */ code) => {
    if (!o.canAct) return;
    status.replaceChildren();
    try {
      await ctx.api.put(`${o.base}/review/${encodeURIComponent(it.subject_id)}`, { area_code: code });
      await o.reload(t("areas.reorg.settledNow", { name: bizName(it.subject_id), unit: o.name(code) }), start);
    } catch (ex) {
      ctx.showError(status, ex, labels(t));
    }
  };

  const show = async (/** @type {ReorgItem} */ it) => {
    chosen = it;
    for (const b of listEl.querySelectorAll("button")) b.setAttribute("aria-pressed", String(/** @type {HTMLElement} */ (b).dataset.id === it.subject_id));
    const biz = businesses.get(it.subject_id);
    const cands = list(it.candidates), proposed = list(it.proposed)[0] || "", settled = list(it.settled)[0] || "";
    const current = list(it.current)[0] || "";
    if (current && !sourceOutlines.has(current)) {
      sourceOutlines.set(current, await ctx.api.get(`/api/v1/areas/${encodeURIComponent(current)}`).then(a => a.geometry, () => null));
    }
    // Once applied, the new units are stored, with their outlines; the report no longer has them.
    if (r.status === "applied") {
      await Promise.all(cands.filter(c => !units.has(c)).map(c => ctx.api.get(`/api/v1/areas/${encodeURIComponent(c)}`).then(
        a => { units.set(c, { ...a, full_from: [], partial_from: [], businesses: 0, by_polygon: 0, to_review: 0 }); }, () => null)));
    }
    if (chosen !== it) return;
    /** @type {MapArea[]} */
    const areas = [];
    if (sourceOutlines.get(current)) areas.push({ id: current, geometry: sourceOutlines.get(current), label: o.name(current), cls: "am-source" });
    for (const c of cands) {
      const u = units.get(c);
      const cls = ["am-cand", c === proposed ? "am-proposed" : "", c === settled ? "am-settled" : ""].join(" ");
      areas.push({ id: c, geometry: u && u.geometry, lat: u && u.lat, lon: u && u.lon, label: u ? u.name : o.name(c), cls });
    }
    const map = h("div", { class: "areas-map", id: "areas-case-map" });
    const radios = h("fieldset", { class: "areas-cands", id: "areas-case-cands" },
      h("legend", {}, t("areas.reorg.choose", { name: bizName(it.subject_id) })),
      cands.map(c => h("label", { class: "areas-cand" + (c === settled ? " settled" : "") },
        h("input", { type: "radio", name: "areas-cand", value: c, checked: settled ? c === settled : c === proposed, disabled: !o.canAct,
          onchange: () => settle(it, c) }),
        " ", o.name(c), c === proposed ? h("span", { class: "badge" }, t("areas.reorg.proposed")) : null)));
    panel.replaceChildren(h("div", {},
      h("h3", { id: "areas-case-name" }, bizName(it.subject_id)),
      h("p", { class: "muted" }, biz ? biz.address : "", biz && biz.address ? " · " : "", t("areas.reorg.caseFrom", { unit: o.name(current) })),
      map,
      cands.some(c => units.get(c) && units.get(c).geometry) ? null : h("p", { class: "muted areas-hint" }, t("areas.reorg.noOutlines")),
      radios, status));
    areaMap(map, areas, biz ? [{ id: biz.id, lat: biz.lat, lon: biz.lon, label: biz.name }] : [],
      { label: t("areas.reorg.mapLabel", { name: bizName(it.subject_id) }), onArea: o.canAct ? (c) => settle(it, c) : undefined });
  };

  for (const it of page) {
    const settled = list(it.settled)[0];
    listEl.append(h("li", {}, h("button", { type: "button", class: "link areas-case-pick", dataset: { id: it.subject_id }, "aria-pressed": "false", onclick: () => show(it) },
      bizName(it.subject_id)),
      " ", h("span", { class: settled ? "badge ok" : "badge warn" }, settled ? t("areas.reorg.settledTo", { unit: o.name(settled) }) : t("areas.reorg.openCase"))));
  }
  const pager = ordered.length > REVIEW_PAGE ? h("div", { class: "row areas-pager" },
    h("button", { type: "button", class: "secondary", disabled: start === 0, onclick: () => o.reload("", Math.max(0, start - REVIEW_PAGE)) }, t("areas.reorg.prevPage")),
    h("span", { class: "muted" }, t("areas.reorg.pageOf", { from: fmt.num(start + 1), to: fmt.num(start + page.length), n: fmt.num(ordered.length) })),
    h("button", { type: "button", class: "secondary", disabled: start + REVIEW_PAGE >= ordered.length, onclick: () => o.reload("", start + REVIEW_PAGE) }, t("areas.reorg.nextPage"))) : null;
  sec.append(h("div", { class: "areas-review-grid" }, h("div", {}, listEl, pager), panel));
  await show(chosen);
  return sec;
}

/**
 * decisionSection lists the teams' or users' decisions: the units now, a select of the new units
 * (several for a team) with the proposal chosen, saved one by one.
 * @param {DeskContext} ctx
 * @param {ReorgReport} r
 * @param {ReorgItem[]} items
 * @param {"team" | "user"} kind
 * @param {{name: (c: string) => string, subject: (id: string) => string, canAct: boolean, base: string, reload: (m: string) => Promise<void>}} o
 */
function decisionSection(ctx, r, items, kind, o) {
  const { t, fmt } = ctx;
  const many = kind === "team";
  const sec = h("section", { class: "card", id: `areas-${kind}s` },
    h("h2", {}, t(many ? "areas.reorg.teams" : "areas.reorg.users", { n: fmt.num(items.length) })),
    r.status === "draft" ? h("p", { class: "muted areas-hint" }, t(many ? "areas.reorg.teamsHint" : "areas.reorg.usersHint")) : null);
  const options = r.units.map(u => u.code);
  for (const it of items) {
    const chosen = list(it.settled).length ? list(it.settled) : list(it.proposed);
    const id = `areas-${kind}-${it.subject_id}`;
    const codes = Array.from(new Set([...options, ...list(it.candidates), ...chosen]));
    const select = /** @type {HTMLSelectElement} */ (h("select", { id, multiple: many, size: many ? Math.min(6, Math.max(2, codes.length)) : undefined, disabled: !o.canAct },
      codes.map(c => h("option", { value: c, selected: chosen.includes(c) }, o.name(c)))));
    const note = h("div", {});
    const save = /** @type {HTMLButtonElement} */ (h("button", { type: "button", class: "secondary", disabled: !o.canAct }, t("areas.reorg.saveDecision")));
    save.addEventListener("click", async () => {
      save.disabled = true;
      note.replaceChildren();
      const picked = Array.from(select.selectedOptions).map(x => x.value);
      try {
        await ctx.api.put(`${o.base}/${kind}s/${encodeURIComponent(it.subject_id)}`, many ? { areas: picked } : { area_code: picked[0] || "" });
        await o.reload(t("areas.reorg.saved"));
      } catch (ex) {
        ctx.showError(note, ex, labels(t));
        save.disabled = false;
      }
    });
    sec.append(h("div", { class: "areas-decision", dataset: { subject: it.subject_id } },
      h("div", { class: "areas-head" },
        h("label", { for: id }, o.subject(it.subject_id)),
        h("span", { class: it.settled ? "badge ok" : "badge warn" }, it.settled ? t("areas.reorg.settledTo", { unit: list(it.settled).map(o.name).join(", ") }) : t("areas.reorg.openCase"))),
      h("p", { class: "muted" }, t("areas.reorg.now", { units: list(it.current).map(o.name).join(", ") || "–" })),
      r.status === "draft" ? h("div", { class: "row" }, select, save) : null,
      note));
  }
  return sec;
}

/** @type {import("../main.js").Desk} */
export default {
  id: "areas",
  roles: ["planner", "admin"],
  nav: { vi: "Địa bàn", en: "Areas" },
  messages,
  render,
};
