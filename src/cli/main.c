/*
 * chiso's command-line driver: global options, the command table and help.
 * Each command lives in its own cmd_<name>.c, as git's builtin/ does.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chiso/version.h"
#include "cli/cli.h"

#include "util/banned.h"

static int cmd_help(struct cli *cli, int argc, char **argv);
static int cmd_version(struct cli *cli, int argc, char **argv);

static const struct cli_command commands[] = {
	{"init", cmd_init, "tạo hoặc nâng cấp cơ sở dữ liệu", "create or upgrade the database",
	 "Cách dùng: chiso init [--db ĐƯỜNG_DẪN]\n"
	 "\n"
	 "Tạo cơ sở dữ liệu (mặc định chiso.db trong thư mục hiện tại, hoặc tệp do\n"
	 "--db hay biến môi trường CHISO_DB chỉ ra). Nếu cơ sở dữ liệu đã có và thuộc\n"
	 "phiên bản cũ hơn, nó được nâng cấp; dữ liệu được giữ nguyên.\n",
	 "Usage: chiso init [--db PATH]\n"
	 "\n"
	 "Creates the database (chiso.db in the working directory by default, or the\n"
	 "file named by --db or the CHISO_DB environment variable). An existing\n"
	 "database of an older schema is upgraded; its data is kept.\n"},
	{"unit", cmd_unit, "nhập và xem danh sách đơn vị", "import and list units",
	 "Cách dùng: chiso unit import TỆP.csv [--dry-run]\n"
	 "           chiso unit list [--tree] [--format table|csv|json]\n"
	 "\n"
	 "import   nhập đơn vị từ tệp CSV có các cột code,name,parent,level và tùy chọn\n"
	 "         flags,valid_from,valid_to,successor (xem docs/formats.md). Nhập lại\n"
	 "         sẽ cập nhật theo mã. Tệp có bất kỳ lỗi nào thì không thay đổi gì.\n"
	 "         --dry-run: kiểm tra và báo cáo, không ghi.\n"
	 "list     liệt kê đơn vị, sắp xếp tên theo thứ tự tiếng Việt.\n"
	 "         --tree: hiển thị dạng cây; --format: table (mặc định), csv, json.\n",
	 "Usage: chiso unit import FILE.csv [--dry-run]\n"
	 "       chiso unit list [--tree] [--format table|csv|json]\n"
	 "\n"
	 "import   imports units from a CSV file with columns code,name,parent,level\n"
	 "         and optionally flags,valid_from,valid_to,successor (see\n"
	 "         docs/formats.md). Re-importing updates units by code. A file with\n"
	 "         any error changes nothing. --dry-run: check and report only.\n"
	 "list     lists units, names sorted in Vietnamese order.\n"
	 "         --tree: show the tree; --format: table (default), csv, json.\n"},
	{"period", cmd_period, "thêm và xem kỳ đánh giá", "add and list periods",
	 "Cách dùng: chiso period add MÃ [--from NGÀY --to NGÀY]\n"
	 "           chiso period list [--format table|csv|json]\n"
	 "\n"
	 "add      thêm một kỳ. Mã dạng 2020 (cả năm), 2020-Q1 (quý) hoặc 2020-03\n"
	 "         (tháng) tự suy ra ngày đầu và ngày cuối; mã khác cần --from và --to.\n"
	 "         Ngày viết YYYY-MM-DD hoặc DD/MM/YYYY.\n"
	 "list     liệt kê các kỳ theo ngày bắt đầu.\n",
	 "Usage: chiso period add CODE [--from DATE --to DATE]\n"
	 "       chiso period list [--format table|csv|json]\n"
	 "\n"
	 "add      adds a period. Codes like 2020 (a year), 2020-Q1 (a quarter) or\n"
	 "         2020-03 (a month) imply their first and last day; other codes need\n"
	 "         --from and --to. Dates are YYYY-MM-DD or DD/MM/YYYY.\n"
	 "list     lists periods by start date.\n"},
	{"framework", cmd_framework, "nhập và xem khung chỉ số CCHC",
	 "import and view PAR frameworks",
	 "Cách dùng: chiso framework import TỆP [--code MÃ] [--version PB] [--title TÊN]\n"
	 "                  [--decision QĐ] [--bands moha|police]\n"
	 "           chiso framework list [--format table|csv|json]\n"
	 "           chiso framework show MÃ [--version PB] [--format table|json]\n"
	 "           chiso framework validate TỆP|MÃ [--code MÃ] [--version PB]\n"
	 "           chiso framework export MÃ [--version PB] [--format json|csv] [-o TỆP]\n"
	 "\n"
	 "import    nhập khung chỉ số từ tệp JSON, hoặc từ bảng CSV/XLSX có các cột\n"
	 "          code,parent,title,max_points,source,rule,params và tùy chọn applies_to\n"
	 "          (xem docs/formats.md). Tệp JSON tự ghi mã và phiên bản; bảng cần\n"
	 "          --code (phiên bản mặc định 1), --title, --decision và --bands tùy chọn.\n"
	 "          Khung được kiểm tra trước khi lưu: có lỗi thì in tất cả lỗi và không\n"
	 "          lưu gì. Nhập lại cùng nội dung không thay đổi gì; nội dung khác cần\n"
	 "          phiên bản mới.\n"
	 "list      liệt kê các khung đã lưu.\n"
	 "show      hiển thị cây tiêu chí với điểm tối đa, nguồn điểm và cách chấm\n"
	 "          (mặc định phiên bản nhập sau cùng).\n"
	 "validate  kiểm tra một tệp (không lưu) hoặc một khung đã lưu.\n"
	 "export    xuất khung đã lưu: JSON (nhập lại cho cùng sha256) hoặc bảng CSV.\n",
	 "Usage: chiso framework import FILE [--code CODE] [--version V] [--title TITLE]\n"
	 "                  [--decision DECISION] [--bands moha|police]\n"
	 "       chiso framework list [--format table|csv|json]\n"
	 "       chiso framework show CODE [--version V] [--format table|json]\n"
	 "       chiso framework validate FILE|CODE [--code CODE] [--version V]\n"
	 "       chiso framework export CODE [--version V] [--format json|csv] [-o FILE]\n"
	 "\n"
	 "import    imports a framework from a JSON file, or from a CSV/XLSX table with\n"
	 "          columns code,parent,title,max_points,source,rule,params and optionally\n"
	 "          applies_to (see docs/formats.md). A JSON file carries its code and\n"
	 "          version; a table needs --code (version 1 by default) and takes\n"
	 "          --title, --decision and --bands. The framework is validated first:\n"
	 "          on any problem every problem is printed and nothing is stored.\n"
	 "          Importing the same content again changes nothing; other content\n"
	 "          needs a new version.\n"
	 "list      lists the stored frameworks.\n"
	 "show      shows the tree of criteria with maxima, sources and rules (the\n"
	 "          newest imported version by default).\n"
	 "validate  checks a file (storing nothing) or a stored framework.\n"
	 "export    writes a stored framework: JSON (re-imports to the same sha256) or a\n"
	 "          CSV table.\n"},
	{"score", cmd_score, "nhập điểm tự đánh giá và thẩm định",
	 "import self-assessment and appraisal scores",
	 "Cách dùng: chiso score import TỆP --period KỲ --framework MÃ [--version PB]\n"
	 "                  [--actor TÊN] [--sheet TRANG] [--dry-run]\n"
	 "           chiso score history --period KỲ [--framework MÃ] [--unit ĐV] [--node TC]\n"
	 "                  [--format table|csv|json]\n"
	 "\n"
	 "import   nhập điểm từ tệp CSV hoặc XLSX có các cột unit,node và ít nhất một\n"
	 "         trong self,appraised, tùy chọn note,reason (xem docs/formats.md).\n"
	 "         Ô trống: chưa có điểm; na: không áp dụng; số viết 8,5 hoặc 8.5.\n"
	 "         Điểm thẩm định khác điểm tự đánh giá phải có lý do (cột reason).\n"
	 "         Tệp có bất kỳ lỗi nào thì không thay đổi gì; mọi thay đổi được ghi\n"
	 "         vào nhật ký (người sửa theo --actor, mặc định cli).\n"
	 "history  xem lịch sử thay đổi điểm và trạng thái của một kỳ.\n",
	 "Usage: chiso score import FILE --period P --framework CODE [--version V]\n"
	 "              [--actor NAME] [--sheet SHEET] [--dry-run]\n"
	 "       chiso score history --period P [--framework CODE] [--unit U] [--node N]\n"
	 "              [--format table|csv|json]\n"
	 "\n"
	 "import   imports scores from a CSV or XLSX file with columns unit,node and at\n"
	 "         least one of self,appraised, optionally note,reason (see\n"
	 "         docs/formats.md). Empty cell: not yet; na: not applicable; numbers\n"
	 "         as 8.5 or 8,5. An appraised score that differs from the self score\n"
	 "         needs a reason (column reason). A file with any error changes\n"
	 "         nothing; every change goes to the audit log (by --actor, default cli).\n"
	 "history  shows the changes of scores and states in a period.\n"},
	{"par", cmd_par, "tính, xếp hạng và công bố Chỉ số CCHC",
	 "compute, rank and publish the PAR index",
	 "Cách dùng: chiso par compute --period KỲ [--framework MÃ] [--group all|level|parent]\n"
	 "                  [--format table|csv|json|xlsx] [-o TỆP]\n"
	 "           chiso par state --period KỲ (--unit ĐV ... | --all) --to TRẠNG_THÁI\n"
	 "                  [--reason LÝ_DO] [--framework MÃ] [--actor TÊN]\n"
	 "           chiso par status --period KỲ [--framework MÃ] [--format table|csv|json]\n"
	 "           chiso par publish --period KỲ [--framework MÃ] [--actor TÊN]\n"
	 "           chiso par show-published --period KỲ [--framework MÃ] [--meta]\n"
	 "           chiso par public --period KỲ [--off] [--actor TÊN]\n"
	 "\n"
	 "compute         tính điểm, chỉ số, xếp loại, xếp hạng (26/63), thống kê nhóm\n"
	 "                và thay đổi so với kỳ trước. Tiêu chí lấy điểm từ khảo sát\n"
	 "                hay số liệu chưa có kết quả thì đơn vị hiện \"chưa có kết quả\".\n"
	 "                XLSX: trang xếp hạng có biểu đồ, trang thành phần, trang nhóm.\n"
	 "state           chuyển trạng thái: draft, submitted, appraised,\n"
	 "                explanation_requested, explained, approved (trả lại, yêu cầu\n"
	 "                giải trình và mở lại phê duyệt cần --reason).\n"
	 "status          số đơn vị theo từng trạng thái.\n"
	 "publish         công bố khi mọi đơn vị đã được phê duyệt và có đủ kết quả;\n"
	 "                kết quả được đóng băng cùng sha256 của khung và dữ liệu.\n"
	 "show-published  in lại kết quả đã công bố, đúng từng byte (--meta: thông tin\n"
	 "                công bố).\n"
	 "public          công khai kết quả của kỳ trên trang /d/ của 'chiso serve', ai\n"
	 "                cũng xem được (--off: thôi công khai).\n",
	 "Usage: chiso par compute --period P [--framework CODE] [--group all|level|parent]\n"
	 "              [--format table|csv|json|xlsx] [-o FILE]\n"
	 "       chiso par state --period P (--unit U ... | --all) --to STATE [--reason R]\n"
	 "              [--framework CODE] [--actor NAME]\n"
	 "       chiso par status --period P [--framework CODE] [--format table|csv|json]\n"
	 "       chiso par publish --period P [--framework CODE] [--actor NAME]\n"
	 "       chiso par show-published --period P [--framework CODE] [--meta]\n"
	 "       chiso par public --period P [--off] [--actor NAME]\n"
	 "\n"
	 "compute         points, index, band, position (26/63), group statistics and\n"
	 "                change since the previous period. Units waiting for survey or\n"
	 "                data results show \"no result yet\". XLSX: a ranking sheet with\n"
	 "                a chart, a components sheet and a groups sheet.\n"
	 "state           moves units to draft, submitted, appraised,\n"
	 "                explanation_requested, explained or approved (returning,\n"
	 "                requesting an explanation and reopening need --reason).\n"
	 "status          units per state.\n"
	 "publish         when every unit is approved and complete: freezes the results\n"
	 "                with the framework's and the input's sha256.\n"
	 "show-published  prints the published results byte for byte (--meta: the\n"
	 "                publication record).\n"
	 "public          shows the period's results to everyone on the /d/ pages of\n"
	 "                'chiso serve' (--off: stops showing them).\n"},
	{"serve", cmd_serve, "chạy máy chủ web (API JSON, trang)",
	 "run the web server (JSON API, pages)",
	 "Cách dùng: chiso serve [--listen ĐỊA_CHỈ:CỔNG] [--threads N] [--rate-limit N]\n"
	 "                  [--admin-token-file TỆP] [--max-connections N] [--timeout GIÂY]\n"
	 "                  [--no-access-log] [--trust-proxy]\n"
	 "\n"
	 "Phục vụ API JSON (/api/v1/...) và các trang web trên cơ sở dữ liệu (--db)\n"
	 "đến khi nhận SIGINT hoặc SIGTERM; khi đó các yêu cầu đang xử lý được hoàn\n"
	 "tất và cơ sở dữ liệu được đóng sạch. In 'chiso: serving URL' khi sẵn sàng;\n"
	 "mỗi yêu cầu ghi một dòng nhật ký ra stderr. Xem docs/api.md.\n"
	 "\n"
	 "--listen            địa chỉ nghe (mặc định 127.0.0.1:8080; cổng 0: tự chọn)\n"
	 "--threads           số luồng xử lý (mặc định: số bộ xử lý)\n"
	 "--rate-limit        số lần gửi mỗi phút cho một địa chỉ (mặc định 60; 0: tắt)\n"
	 "--admin-token-file  tệp chứa mã quản trị (ít nhất 16 ký tự) cho API quản trị\n"
	 "--max-connections   số kết nối tối đa (mặc định 1024)\n"
	 "--timeout           giây giữ một kết nối rảnh (mặc định 30)\n"
	 "--no-access-log     không ghi nhật ký truy cập\n"
	 "--trust-proxy       tin X-Forwarded-Proto của proxy TLS phía trước (cookie Secure)\n",
	 "Usage: chiso serve [--listen HOST:PORT] [--threads N] [--rate-limit N]\n"
	 "                   [--admin-token-file FILE] [--max-connections N] [--timeout SECONDS]\n"
	 "                   [--no-access-log] [--trust-proxy]\n"
	 "\n"
	 "Serves the JSON API (/api/v1/...) and the web pages on the database (--db)\n"
	 "until SIGINT or SIGTERM; then requests under way are finished and the\n"
	 "database is closed cleanly. Prints 'chiso: serving URL' when ready; each\n"
	 "request writes one access log line on stderr. See docs/api.md.\n"
	 "\n"
	 "--listen            address to listen on (default 127.0.0.1:8080; port 0 picks one)\n"
	 "--threads           worker threads (default: one per processor)\n"
	 "--rate-limit        submissions per minute per client address (default 60; 0: off)\n"
	 "--admin-token-file  file holding the administrator token (16+ characters) that\n"
	 "                    turns the administration API on\n"
	 "--max-connections   most connections at once (default 1024)\n"
	 "--timeout           seconds an idle connection is kept (default 30)\n"
	 "--no-access-log     write no access log\n"
	 "--trust-proxy       trust X-Forwarded-Proto from the TLS proxy in front (Secure\n"
	 "                    cookies)\n"},
	{"survey", cmd_survey, "nhập và xem bảng hỏi khảo sát sự hài lòng",
	 "import and view satisfaction questionnaires",
	 "Cách dùng: chiso survey import TỆP\n"
	 "           chiso survey list [--format table|csv|json]\n"
	 "           chiso survey show MÃ [--version PB] [--format table|json]\n"
	 "           chiso survey export MÃ [--version PB] [-o TỆP]\n"
	 "           chiso survey validate TỆP\n"
	 "           chiso survey wave add MÃ --questionnaire BH[@PB] --period KỲ [--title TÊN]\n"
	 "           chiso survey wave list [--format table|csv|json]\n"
	 "\n"
	 "import    nhập bảng hỏi từ tệp JSON của chiso hoặc biểu mẫu XLSForm (.xlsx,\n"
	 "          của ODK/KoboToolbox; xem docs/formats.md). Nhóm câu hỏi năm mức trở\n"
	 "          thành yếu tố; phần chưa hỗ trợ được nêu trong cảnh báo. Bảng hỏi\n"
	 "          được kiểm tra trước khi lưu: có lỗi thì in tất cả lỗi và không lưu\n"
	 "          gì. Nhập lại cùng nội dung không thay đổi gì; nội dung khác cần\n"
	 "          phiên bản mới.\n"
	 "list      liệt kê các bảng hỏi đã lưu.\n"
	 "show      hiển thị yếu tố, câu hỏi và tùy chọn tính chỉ số (mặc định phiên\n"
	 "          bản nhập sau cùng); json: nội dung đã lưu.\n"
	 "export    xuất bảng hỏi đã lưu dạng JSON, đúng từng byte đã lưu.\n"
	 "validate  kiểm tra một tệp, không lưu gì.\n"
	 "wave add  thêm một đợt khảo sát: một phiên bản bảng hỏi (mặc định bản nhập\n"
	 "          sau cùng) hỏi trong một kỳ; --opens, --closes NGÀY, --mode tùy chọn.\n"
	 "wave list liệt kê các đợt khảo sát và số phiếu đã nhập.\n",
	 "Usage: chiso survey import FILE\n"
	 "       chiso survey list [--format table|csv|json]\n"
	 "       chiso survey show CODE [--version V] [--format table|json]\n"
	 "       chiso survey export CODE [--version V] [-o FILE]\n"
	 "       chiso survey validate FILE\n"
	 "       chiso survey wave add CODE --questionnaire Q[@V] --period P [--title T]\n"
	 "       chiso survey wave list [--format table|csv|json]\n"
	 "\n"
	 "import    imports a questionnaire from chiso's JSON format or from an XLSForm\n"
	 "          workbook (.xlsx, from ODK or KoboToolbox; see docs/formats.md).\n"
	 "          Groups of five-level questions become elements; what is not\n"
	 "          supported is named in warnings. The questionnaire is validated\n"
	 "          first: on any problem every problem is printed and nothing is\n"
	 "          stored. Importing the same content again changes nothing; other\n"
	 "          content needs a new version.\n"
	 "list      lists the stored questionnaires.\n"
	 "show      shows elements, items and the index options (the newest imported\n"
	 "          version by default); json: the stored body.\n"
	 "export    writes a stored questionnaire as JSON, byte for byte as stored.\n"
	 "validate  checks a file and stores nothing.\n"
	 "wave add  adds a survey wave: a questionnaire version (the newest imported by\n"
	 "          default) asked over a period; optional --opens, --closes DATE, --mode.\n"
	 "wave list lists the survey waves and their imported responses.\n"},
	{"response", cmd_response, "nhập phiếu trả lời khảo sát", "import survey responses",
	 "Cách dùng: chiso response import TỆP --wave ĐỢT [--dry-run]\n"
	 "\n"
	 "Nhập phiếu trả lời từ tệp CSV, XLSX hoặc JSON lines (mỗi dòng một người):\n"
	 "các cột id,unit, tùy chọn submitted_at,channel,weight,stratum,psu,fpc rồi\n"
	 "một cột cho mỗi mã câu hỏi; chọn nhiều viết a;b (xem docs/formats.md).\n"
	 "Mọi lỗi được nêu kèm tệp:dòng:cột; tệp có lỗi thì không ghi gì.\n"
	 "--dry-run: kiểm tra và báo cáo, không ghi.\n",
	 "Usage: chiso response import FILE --wave WAVE [--dry-run]\n"
	 "\n"
	 "Imports responses from a CSV, XLSX or JSON-lines file (one respondent per\n"
	 "row): columns id,unit, optionally submitted_at,channel,weight,stratum,psu,\n"
	 "fpc, then one column per item code; multiple choices as a;b (see\n"
	 "docs/formats.md). Every problem is named with file:line:column; a file\n"
	 "with any problem writes nothing. --dry-run: check and report only.\n"},
	{"sipas", cmd_sipas, "tính chỉ số hài lòng (SIPAS)", "compute satisfaction indices (SIPAS)",
	 "Cách dùng: chiso sipas compute --wave ĐỢT [--by unit|level|service|kind|channel|all]\n"
	 "                 [--unit ĐV] [--format table|csv|json|xlsx] [-o TỆP]\n"
	 "                 [--previous ĐỢT | --no-previous] [--lonely QUY_TẮC]\n"
	 "           chiso sipas weak --wave ĐỢT [--unit ĐV] [--by ...] [--format table|json]\n"
	 "           chiso sipas rank --wave ĐỢT [--bootstrap N] [--seed S] [--format "
	 "table|csv|json]\n"
	 "\n"
	 "compute  chỉ số theo tiêu chí, yếu tố và chỉ số chung (ba cách tính) với\n"
	 "         khoảng tin cậy 95%, theo đơn vị (cộng dồn theo cây), cấp, dịch vụ,\n"
	 "         đối tượng hoặc kênh; so sánh với đợt trước của cùng bảng hỏi.\n"
	 "weak     tiêu chí, yếu tố cần ưu tiên cải thiện và mong đợi của người dân.\n"
	 "rank     xếp hạng đơn vị cùng cấp, có khoảng hạng bootstrap (mặc định 1000\n"
	 "         lần, hạt giống cố định: kết quả lặp lại được).\n"
	 "--lonely  tầng chỉ có một PSU: fail (mặc định), certainty, remove, adjust,\n"
	 "          average (như survey.lonely.psu của R).\n",
	 "Usage: chiso sipas compute --wave WAVE [--by unit|level|service|kind|channel|all]\n"
	 "                 [--unit U] [--format table|csv|json|xlsx] [-o FILE]\n"
	 "                 [--previous WAVE | --no-previous] [--lonely RULE]\n"
	 "       chiso sipas weak --wave WAVE [--unit U] [--by ...] [--format table|json]\n"
	 "       chiso sipas rank --wave WAVE [--bootstrap N] [--seed S] [--format "
	 "table|csv|json]\n"
	 "\n"
	 "compute  item, element and overall indices (all three variants) with 95%\n"
	 "         intervals, by unit (rolled up the tree), level, service, respondent\n"
	 "         kind or channel; change against the questionnaire's previous wave.\n"
	 "weak     items and elements to fix first, and what respondents expect.\n"
	 "rank     ranks units among their level, with bootstrap rank intervals\n"
	 "         (1000 replicates by default, fixed seed: reproducible).\n"
	 "--lonely  strata with a single PSU: fail (default), certainty, remove,\n"
	 "          adjust, average (as R's survey.lonely.psu).\n"},
	{"report", cmd_report, "viết báo cáo năm (HTML, XLSX)",
	 "write the yearly report (HTML, XLSX)",
	 "Cách dùng: chiso report --period KỲ [--format html|xlsx] [--lang vi|en] [--unit ĐV]\n"
	 "                  [-o TỆP] [--lonely QUY_TẮC]\n"
	 "\n"
	 "Báo cáo năm của một đơn vị (mặc định: đơn vị có các đơn vị trực thuộc được\n"
	 "đánh giá): tóm tắt (chỉ số trung bình, vị trí 26/63, xếp loại, chỉ số hài\n"
	 "lòng chung với khoảng tin cậy), xếp hạng CCHC theo lĩnh vực, thay đổi so với\n"
	 "năm trước, SIPAS theo yếu tố, tiêu chí và đơn vị, lĩnh vực yếu, mong đợi,\n"
	 "việc cần ưu tiên khắc phục và phương pháp. html: một tệp duy nhất, đọc được\n"
	 "trên điện thoại, in ra khổ A4; xlsx: mỗi bảng một trang, có biểu đồ.\n"
	 "Mặc định ghi vào out/report-KỲ.html hoặc .xlsx.\n",
	 "Usage: chiso report --period P [--format html|xlsx] [--lang vi|en] [--unit U]\n"
	 "                    [-o FILE] [--lonely RULE]\n"
	 "\n"
	 "The yearly report of a force (default: the unit whose units were assessed):\n"
	 "summary (average index, position 26/63, bands, overall satisfaction with its\n"
	 "interval), PAR ranking with area points, change since last year, SIPAS by\n"
	 "element, item and unit, weak areas, expectations, what each unit should fix\n"
	 "first, and the methodology. html: one self-contained file that reads on a\n"
	 "phone and prints to A4; xlsx: one sheet per table, with charts. Written to\n"
	 "out/report-P.html or .xlsx unless -o is given.\n"},
	{"demo", cmd_demo, "chạy bản minh họa trên dữ liệu mẫu",
	 "run the demonstration on generated data",
	 "Cách dùng: chiso demo [--db TỆP] [--out THƯ_MỤC] [--seed N] [--small] [--force]\n"
	 "                  [--data THƯ_MỤC]\n"
	 "\n"
	 "Tạo bộ dữ liệu minh họa (Công an tỉnh Bắc Ninh và 63 Công an tỉnh, thành phố;\n"
	 "điểm tự đánh giá, thẩm định năm 2019 và 2020; hai đợt khảo sát sự hài lòng)\n"
	 "bằng bộ sinh số ngẫu nhiên có hạt giống, ghi các tệp CSV vào THƯ_MỤC/data, rồi\n"
	 "nạp, tính, chuyển trạng thái, công bố trên cơ sở dữ liệu minh họa và in tóm tắt\n"
	 "(xem docs/demo.md). Cùng hạt giống cho cùng dữ liệu trên mọi máy.\n"
	 "\n"
	 "--db      cơ sở dữ liệu minh họa (mặc định demo.db), được tạo lại mỗi lần chạy\n"
	 "--out     thư mục kết quả (mặc định out)\n"
	 "--seed    hạt giống (mặc định 2020)\n"
	 "--small   khoảng một phần năm số phiếu khảo sát (cho kiểm thử)\n"
	 "--force   thay cả cơ sở dữ liệu không phải bản minh họa\n"
	 "--data    thư mục data của chiso (mặc định data)\n",
	 "Usage: chiso demo [--db FILE] [--out DIR] [--seed N] [--small] [--force]\n"
	 "                  [--data DIR]\n"
	 "\n"
	 "Generates the demonstration dataset (the Bắc Ninh provincial police and the\n"
	 "63 provincial forces; self-assessment and appraisal scores of 2019 and 2020;\n"
	 "two satisfaction survey waves) with a seeded random generator, writes its CSV\n"
	 "files into DIR/data, then imports, computes, moves through the workflow and\n"
	 "publishes on the demo database, and prints a summary (see docs/demo.md). The\n"
	 "same seed gives the same data on every machine.\n"
	 "\n"
	 "--db      the demo database (default demo.db), created afresh on every run\n"
	 "--out     the output directory (default out)\n"
	 "--seed    the seed (default 2020)\n"
	 "--small   about a fifth of the survey responses (for tests)\n"
	 "--force   replace a database that is not a demo database too\n"
	 "--data    chiso's data directory (default data)\n"},
	{"token", cmd_token, "phát hành mã khảo sát dùng một lần (mã QR)",
	 "issue one-time survey tokens (QR codes)",
	 "Cách dùng: chiso token issue --wave ĐỢT --unit ĐV --count N [--dossier-file TỆP]\n"
	 "                  [--expires NGÀY] [--format csv|svg|html] [-o TỆP] [--base-url URL]\n"
	 "\n"
	 "Tạo N mã khảo sát ngẫu nhiên (120 bit) cho một đợt và một đơn vị; mỗi mã mở\n"
	 "phiếu khảo sát tại URL/s/MÃ đúng một lần. --dossier-file: mỗi dòng một số hồ sơ,\n"
	 "mỗi hồ sơ một mã (chỉ lưu giá trị băm của số hồ sơ). --expires: hết hạn sau số\n"
	 "ngày này. --base-url: địa chỉ máy chủ in trong mã QR (mặc định\n"
	 "http://127.0.0.1:8080).\n"
	 "csv   token,url,wave,unit,expires_at (và dossier)\n"
	 "svg   một tệp SVG các mã QR; -o THƯ_MỤC có sẵn: mỗi mã một tệp MÃ.svg\n"
	 "html  trang A4 để in các phiếu có mã QR, tên đơn vị và hướng dẫn\n",
	 "Usage: chiso token issue --wave WAVE --unit UNIT --count N [--dossier-file FILE]\n"
	 "              [--expires DAYS] [--format csv|svg|html] [-o FILE] [--base-url URL]\n"
	 "\n"
	 "Makes N random survey tokens (120 bits) for a wave and a unit; each opens the\n"
	 "survey at URL/s/TOKEN exactly once. --dossier-file: one dossier number per\n"
	 "line, one token per dossier (only a hash of the number is stored). --expires:\n"
	 "the tokens expire after this many days. --base-url: the server's address\n"
	 "printed in the QR codes (default http://127.0.0.1:8080).\n"
	 "csv   token,url,wave,unit,expires_at (and dossier)\n"
	 "svg   one SVG of the QR codes; -o an existing DIRECTORY: one TOKEN.svg each\n"
	 "html  a printable A4 sheet of slips with QR code, unit name and instructions\n"},
	{"user", cmd_user, "quản lý tài khoản của không gian làm việc",
	 "manage the workspace's accounts",
	 "Cách dùng: chiso user add TÊN --role VAI_TRÒ [--unit ĐV [--subtree]] [--name HỌ_TÊN]\n"
	 "                  [--password-file TỆP]\n"
	 "           chiso user list [--format table|csv|json]\n"
	 "           chiso user disable|enable TÊN\n"
	 "           chiso user passwd TÊN [--password-file TỆP]\n"
	 "\n"
	 "Tài khoản đăng nhập không gian làm việc (/w/). Vai trò: admin (quản trị),\n"
	 "appraiser (thành viên hội đồng thẩm định), unit_officer (cán bộ tự đánh giá\n"
	 "của một đơn vị, --unit; --subtree: cả các đơn vị trực thuộc), viewer (chỉ xem),\n"
	 "surveyor (nhóm khảo sát). Tạo quản trị viên đầu tiên bằng lệnh add.\n"
	 "Mật khẩu (ít nhất 10 ký tự) được hỏi hai lần không hiện chữ, hoặc đọc một\n"
	 "dòng từ --password-file TỆP ('-': đầu vào chuẩn); chỉ lưu giá trị băm\n"
	 "argon2id. disable khóa tài khoản và kết thúc các phiên của nó; passwd đổi mật\n"
	 "khẩu, bỏ khóa tạm do đăng nhập sai và kết thúc các phiên.\n",
	 "Usage: chiso user add LOGIN --role ROLE [--unit UNIT [--subtree]] [--name NAME]\n"
	 "              [--password-file FILE]\n"
	 "       chiso user list [--format table|csv|json]\n"
	 "       chiso user disable|enable LOGIN\n"
	 "       chiso user passwd LOGIN [--password-file FILE]\n"
	 "\n"
	 "Accounts of the workspace (/w/). Roles: admin, appraiser (a member of the\n"
	 "appraisal council), unit_officer (self-assesses one unit, --unit; --subtree:\n"
	 "its subordinate units too), viewer (reads only), surveyor (the survey team).\n"
	 "Create the first administrator with add. The password (10 characters or\n"
	 "more) is asked twice without echo, or read as one line from --password-file\n"
	 "FILE ('-': standard input); only its argon2id hash is stored. disable locks\n"
	 "the account and ends its sessions; passwd changes the password, lifts the\n"
	 "throttling of failed sign-ins and ends the account's sessions.\n"},
	{"help", cmd_help, "hướng dẫn sử dụng một lệnh", "show help for a command",
	 "Cách dùng: chiso help [LỆNH]\n", "Usage: chiso help [COMMAND]\n"},
	{"version", cmd_version, "in phiên bản", "print the version", "Cách dùng: chiso version\n",
	 "Usage: chiso version\n"},
};

static const struct cli_command *find_command(const char *name)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

static void print_overview(const struct cli *cli, FILE *f)
{
	fprintf(f, "%s",
		L(cli,
		  "chiso: chỉ số cải cách hành chính và đo lường sự hài lòng\n\n"
		  "Cách dùng: chiso [--db ĐƯỜNG_DẪN] [--lang vi|en] <lệnh> [tùy chọn]\n\n"
		  "Các lệnh:\n",
		  "chiso: administrative reform index and satisfaction measurement\n\n"
		  "Usage: chiso [--db PATH] [--lang vi|en] <command> [options]\n\n"
		  "Commands:\n"));
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-10s %s\n", commands[i].name,
			L(cli, commands[i].summary_vi, commands[i].summary_en));
	fprintf(f, "%s",
		L(cli,
		  "\nTùy chọn chung:\n"
		  "  --db ĐƯỜNG_DẪN   cơ sở dữ liệu (mặc định chiso.db, hoặc biến CHISO_DB)\n"
		  "  --lang vi|en     ngôn ngữ hiển thị (mặc định vi, hoặc biến CHISO_LANG)\n"
		  "  --version        in phiên bản\n\n"
		  "Xem 'chiso help <lệnh>' để biết chi tiết một lệnh.\n",
		  "\nGlobal options:\n"
		  "  --db PATH        the database (default chiso.db, or CHISO_DB)\n"
		  "  --lang vi|en     display language (default vi, or CHISO_LANG)\n"
		  "  --version        print the version\n\n"
		  "See 'chiso help <command>' for the details of a command.\n"));
}

static int cmd_help(struct cli *cli, int argc, char **argv)
{
	const struct cli_command *c;

	if (argc < 2) {
		print_overview(cli, stdout);
		return CLI_OK;
	}
	if (argc > 2)
		return cli_usage(cli, "help", "%s", L(cli, "thừa đối số", "too many arguments"));
	c = find_command(argv[1]);
	if (!c)
		return cli_usage(cli, "help", L(cli, "không có lệnh '%s'", "no command '%s'"),
				 argv[1]);
	printf("%s", L(cli, c->help_vi, c->help_en));
	return CLI_OK;
}

static int cmd_version(struct cli *cli, int argc, char **argv)
{
	(void)cli;
	(void)argc;
	(void)argv;
	printf("chiso %s\n", CHISO_VERSION);
	return CLI_OK;
}

static bool parse_lang(const char *s, enum cli_lang *out)
{
	if (strcmp(s, "vi") == 0)
		*out = CLI_LANG_VI;
	else if (strcmp(s, "en") == 0)
		*out = CLI_LANG_EN;
	else
		return false;
	return true;
}

/*
 * Takes the global options out of argv wherever they stand, so that both
 * `chiso --db x.db unit list` and `chiso unit list --db x.db` work (--version
 * only before the command). Returns
 * CLI_OK, or CLI_USAGE after printing what is wrong.
 */
static int take_global_options(struct cli *cli, int *argc, char **argv, bool *version)
{
	int out = 1;

	for (int i = 1; i < *argc; i++) {
		const char *val = NULL;
		bool missing = false;

		if (strcmp(argv[i], "--") == 0) {
			while (i < *argc)
				argv[out++] = argv[i++];
			break;
		}
		if (cli_opt(*argc, argv, &i, "--db", &val, &missing)) {
			cli->db = val;
		} else if (cli_opt(*argc, argv, &i, "--lang", &val, &missing)) {
			if (!parse_lang(val, &cli->lang))
				return cli_usage(cli, NULL, "--lang: '%s'; %s", val,
						 L(cli, "cần vi hoặc en", "expected vi or en"));
		} else if (missing) {
			return cli_usage(cli, NULL,
					 L(cli, "%s cần một giá trị", "%s needs a value"), argv[i]);
		} else if (strcmp(argv[i], "--version") == 0 && out == 1) {
			/* Only before the command: after it, --version V names a
			 * methodology version (chiso framework show X --version V). */
			*version = true;
		} else {
			argv[out++] = argv[i];
		}
	}
	*argc = out;
	argv[out] = NULL;
	return CLI_OK;
}

int main(int argc, char **argv)
{
	struct cli cli = {CS_STORE_DEFAULT, CLI_LANG_VI, false};
	const struct cli_command *c;
	const char *env;
	bool version = false;
	int rc;

	env = getenv("CHISO_DB");
	if (env && *env)
		cli.db = env;
	env = getenv("CHISO_LANG");
	if (env && *env && !parse_lang(env, &cli.lang))
		cli.lang = CLI_LANG_VI;
	cli.tty = isatty(STDOUT_FILENO);

	rc = take_global_options(&cli, &argc, argv, &version);
	if (rc)
		return rc;
	if (version)
		return cmd_version(&cli, 0, NULL);
	if (argc < 2) {
		print_overview(&cli, stderr);
		return CLI_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
		return cmd_help(&cli, 1, argv + 1);
	c = find_command(argv[1]);
	if (!c)
		return cli_usage(&cli, NULL, L(&cli, "không có lệnh '%s'", "unknown command '%s'"),
				 argv[1]);
	for (int i = 2; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			printf("%s", L(&cli, c->help_vi, c->help_en));
			return CLI_OK;
		}
	rc = c->run(&cli, argc - 1, argv + 1);
	if (fflush(stdout) != 0 || ferror(stdout))
		return cli_error("%s", L(&cli, "không ghi được kết quả ra",
					 "cannot write to standard output"));
	return rc;
}
