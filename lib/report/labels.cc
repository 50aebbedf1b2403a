#include "report/labels.h"

#include <array>
#include <utility>

namespace jszb::core {

namespace {

// clang-format off
constexpr std::array<std::pair<std::string_view, std::string_view>, 47> kLabels = {{
    // channels
    {"phone", "电话"}, {"web", "网站"}, {"wechat_mini", "微信小程序"},
    {"wechat_account", "微信公众号"}, {"app", "北京通App"}, {"leaders_board", "领导留言板"},
    {"national_mini", "国务院小程序"}, {"weibo", "微博"}, {"toutiao", "头条"},
    {"merged_hotline", "并线热线"},
    // kinds
    {"consultation", "咨询"}, {"help", "求助"}, {"complaint", "投诉"}, {"report", "举报"},
    {"suggestion", "建议"},
    // states
    {"received", "已受理"}, {"answered_on_spot", "直接答复"}, {"not_dispatched", "不派单"},
    {"dispatched", "已派单"}, {"return_requested", "申请退单"}, {"handling", "办理中"},
    {"co_handling", "协办中"}, {"extension_requested", "申请延期"}, {"suspended", "已挂起"},
    {"replied", "已反馈"}, {"visited", "已回访"}, {"terminated", "已终止"}, {"closed", "已办结"},
    {"merged", "已合并"}, {"appealed", "申诉中"}, {"suspension_requested", "申请挂起"},
    {"long_term_pending", "挂账"},
    // the figures of a unit's row that list their orders (drill_down.h; "dispatched" and
    // "closed" are the states' names)
    {"visits", "有效回访"}, {"not_contacted", "未联系（响应率）"}, {"not_solved", "未解决（解决率）"},
    {"not_satisfied", "不满意"}, {"basically_satisfied", "基本满意"}, {"satisfied", "满意"},
    {"late_sign_for", "未按时签收"}, {"late_reply", "未按时反馈"}, {"breached", "超期"},
    {"supervised", "督办"}, {"long_term_held", "挂账"}, {"resolution_only", "仅计入解决率"},
    // theme tasks (每月一题)
    {"open", "进行中"}, {"done", "已完成"}, {"", ""},
}};
// clang-format on

}  // namespace

std::string chinese_label(std::string_view identifier) {
  for (const auto& [id, zh] : kLabels) {
    if (!id.empty() && id == identifier) return std::string(zh);
  }
  return std::string(identifier);
}

namespace {

struct ClassName {
  v1::UnitClass unit_class;
  const char* identifier;
  const char* chinese;
};
constexpr std::array<ClassName, 6> kClasses = {{
    {v1::UNIT_CLASS_DISTRICT, "district", "区政府"},
    {v1::UNIT_CLASS_STREET, "street", "街道乡镇"},
    {v1::UNIT_CLASS_DEPARTMENT, "department", "部门"},
    {v1::UNIT_CLASS_ENTERPRISE, "enterprise", "公共服务企业"},
    {v1::UNIT_CLASS_CENTRE, "centre", "12345中心"},
    {v1::UNIT_CLASS_COMMUNITY, "community", "社区(村)"},
}};

const ClassName* class_of(v1::UnitClass c) {
  for (const ClassName& n : kClasses) {
    if (n.unit_class == c) return &n;
  }
  return nullptr;
}

}  // namespace

std::string class_identifier(v1::UnitClass c) {
  const ClassName* n = class_of(c);
  return n != nullptr ? n->identifier : "unit";
}

std::string chinese_class(v1::UnitClass c) {
  const ClassName* n = class_of(c);
  return n != nullptr ? n->chinese : "其他单位";
}

}  // namespace jszb::core
