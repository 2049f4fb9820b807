"""Fixed word lists and calendars the demo generator draws from.

Everything here is a constant: the generator picks from these lists with its seeded
random generator, so the demo company is the same on every run. All Chinese text that can
end up in the GBK-encoded activities file uses common characters only (GBK-encodable).
"""

from __future__ import annotations

import datetime as dt


def _words(text: str) -> tuple[str, ...]:
    """Space-separated words as a tuple (keeps the long lists below readable)."""
    return tuple(text.split())


# department -> outlets (12 outlets in all); the first outlet hosts the department head
DEPARTMENTS: dict[str, tuple[str, ...]] = {
    "华东事业部": ("上海门店", "杭州门店", "南京门店", "苏州门店"),
    "华南事业部": ("广州门店", "深圳门店", "佛山门店", "厦门门店"),
    "华北事业部": ("北京门店", "天津门店", "济南门店"),
    "大客户部": ("大客户中心",),
}
KEY_ACCOUNT_DEPARTMENT = "大客户部"

# city -> (outlet serving it, relative number of customers in the city)
CITIES: dict[str, tuple[str, float]] = {
    "上海": ("上海门店", 9), "杭州": ("杭州门店", 6), "宁波": ("杭州门店", 4),
    "温州": ("杭州门店", 3), "南京": ("南京门店", 5), "合肥": ("南京门店", 3),
    "苏州": ("苏州门店", 5), "无锡": ("苏州门店", 3), "常州": ("苏州门店", 2),
    "广州": ("广州门店", 7), "南宁": ("广州门店", 2), "深圳": ("深圳门店", 7),
    "东莞": ("深圳门店", 4), "佛山": ("佛山门店", 4), "中山": ("佛山门店", 2),
    "厦门": ("厦门门店", 3), "福州": ("厦门门店", 3), "泉州": ("厦门门店", 2),
    "北京": ("北京门店", 7), "石家庄": ("北京门店", 2), "太原": ("北京门店", 2),
    "天津": ("天津门店", 4), "唐山": ("天津门店", 2), "济南": ("济南门店", 3),
    "青岛": ("济南门店", 3), "郑州": ("济南门店", 3),
}

# customer type -> (share of customers, order-rate factor, order-size factor,
#                   industry words for the name, legal-form suffixes)
CUSTOMER_TYPES: dict[str, tuple[float, float, float, tuple[str, ...], tuple[str, ...]]] = {
    "经销商": (0.24, 1.3, 1.2, ("建材", "五金", "电器", "水暖", "装饰材料"),
            ("有限公司", "贸易有限公司", "商贸有限公司")),
    "贸易商": (0.16, 1.0, 1.1, ("商贸", "贸易", "实业", "供应链", "国际贸易"),
            ("有限公司", "有限责任公司")),
    "工程商": (0.15, 0.5, 3.0, ("建设工程", "建筑安装", "市政工程", "机电安装", "装饰工程"),
            ("有限公司", "集团有限公司")),
    "零售店": (0.25, 1.6, 0.25, ("建材", "五金", "灯饰", "卫浴", "涂料"),
            ("商行", "经营部", "门市部", "店")),
    "制造厂": (0.10, 0.9, 1.6, ("机械", "门窗", "家具", "电气", "新材料"),
            ("制造有限公司", "科技有限公司", "厂")),
    "装修公司": (0.10, 0.8, 0.8, ("装饰", "装饰设计", "家居", "装修工程", "空间设计"),
              ("有限公司", "工作室")),
}

BRANDS = _words(
    "恒达 鑫盛 宏远 永泰 华强 金诚 天瑞 中联 富源 佳和 德隆 瑞丰 顺发 兴旺 博雅 锦程 汇通 晨光 "
    "新纪元 万家 海纳 泰和 裕丰 盛世 诚信 协力 正泰源 凯达 嘉禾 华美 远航 明辉 昌盛 利群 立信 众和 "
    "同创 丰泽 隆昌 金马 宝丰 广源 伟业 鼎盛 润泽 安泰 福临 云帆 星河 联发 恒通 信达 华信 益民 "
    "金鹏 鸿运 合力 百川 升华 腾飞 永兴 开元 银河 建兴 荣达 天成 东升 昊天 源丰 志诚 德胜 卓越 "
    "弘毅 万通 长盛 美邦 大成 和顺 鑫源 聚力 汇丰源 嘉信 金桥 瑞祥 恒昌 友联 新华源 华鼎 盛达"
)

EN_WORDS = _words(
    "Northwind Bluestone Goldenbridge Evergreen Pacific Orient Summit Silverline Redwood Harbor "
    "Eastgate Jade Lotus Phoenix Crown Sunrise Greenfield Ironwood Brightway Crescent Pioneer "
    "Meridian Oakridge Riverside Skyline Starlight Unity Vantage Westlake Zenith Apex Beacon "
    "Cedar Delta Everbright Falcon Granite Horizon Keystone Liberty Maple Nova Onyx Pinnacle "
    "Quantum Royal Sapphire Titan Victory Willow Atlas Coral Dragon Emerald Fortune Globe"
)
EN_TRADES = ("Trading", "Industrial", "Supply", "Building Materials", "Hardware", "Engineering",
             "Electric", "Construction", "Home", "Materials", "Import & Export", "Decoration",
             "Technology", "Manufacturing", "Distribution")
EN_SUFFIXES = ("Co.", "Co., Ltd.", "Ltd.", "Inc.", "Group", "Limited")
EN_PREFIXES = ("", "Hong Kong ", "Shanghai ", "Asia ", "China ", "Shenzhen ", "Global ",
               "Pan-Pacific ", "Guangzhou ")

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
GIVEN = _words(
    "伟 芳 娜 敏 静 强 磊 洋 艳 勇 军 杰 涛 明 超 霞 平 刚 桂英 建华 志强 晓东 海燕 丽娟 国庆 "
    "文斌 秀兰 建国 春梅 小龙 红梅 立新 永红 晓明 雪梅 俊杰 子涵 浩然 欣怡 宇航"
)

# category -> (consumption days low/high, list price low/high in yuan, items, specs)
CATEGORIES: dict[str, tuple[int, int, float, float, tuple[str, ...], tuple[str, ...]]] = {
    "瓷砖": (60, 180, 35, 260, ("抛光砖", "仿古砖", "木纹砖", "釉面砖", "防滑地砖", "大板瓷砖"),
           ("600x600", "800x800", "300x600", "750x1500", "400x800", "900x1800")),
    "涂料": (30, 90, 80, 680, ("乳胶漆", "外墙漆", "木器漆", "防锈漆", "地坪漆", "艺术涂料"),
           ("5L", "18L", "20kg", "1L", "15L", "3L")),
    "管材管件": (60, 180, 4, 90, ("PPR冷热水管", "PVC排水管", "PE给水管", "铝塑管", "弯头", "三通"),
             ("20mm", "25mm", "32mm", "50mm", "75mm", "110mm")),
    "五金工具": (90, 180, 12, 380, ("电钻", "角磨机", "扳手套装", "卷尺", "水平尺", "切割机"),
             ("标准款", "专业款", "工业级", "家用款", "加强型")),
    "电线电缆": (30, 120, 120, 900, ("BV单芯线", "BVR软线", "护套线", "网线", "电力电缆"),
             ("1.5平方", "2.5平方", "4平方", "6平方", "10平方", "100米")),
    "胶粘剂": (14, 45, 8, 65, ("瓷砖胶", "玻璃胶", "结构胶", "白乳胶", "发泡胶"),
            ("300ml", "500g", "1kg", "5kg", "20kg")),
    "防水材料": (30, 90, 45, 420, ("防水涂料", "防水卷材", "堵漏王", "JS防水浆料", "丙纶布"),
             ("5kg", "10kg", "20kg", "10平方", "1卷")),
    "紧固件": (7, 30, 0.5, 25, ("膨胀螺丝", "自攻螺丝", "钢钉", "铆钉", "螺栓"),
            ("M6", "M8", "M10", "M12", "100只装", "500只装")),
    "照明灯具": (90, 180, 18, 520, ("LED吸顶灯", "筒灯", "射灯", "灯带", "面板灯", "工矿灯"),
             ("12W", "18W", "24W", "36W", "50W", "100W")),
    "清洁耗材": (7, 21, 4, 55, ("垃圾袋", "抹布", "清洁剂", "手套", "拖把头"),
             ("小号", "中号", "大号", "整箱", "10只装")),
}

PERSONALITIES = ("恩客", "牛客", "磨客", "怪客", "VIP", "silent", "talkative", "bargainer",
                 "loyal", "picky")
# manager-set level -> share of all customers carrying it
FLAGS = {"strategic": 0.01, "key": 0.01, "distinguished": 0.005, "model": 0.01, "free": 0.01}

# activity kind as written in the file -> (share of follow-ups, outcomes, notes)
ACTIVITY_KINDS: dict[str, tuple[float, tuple[str, ...], tuple[str, ...]]] = {
    "拜访": (0.24, ("有意向", "已下单", "需再跟进", "暂无需求", "报价中"),
           ("上门介绍新品", "查看工地进度", "洽谈年度合作", "送样品", "了解库存情况", "")),
    "电话": (0.34, ("已联系", "未接通", "需再跟进", "有意向", "暂无需求"),
           ("询问补货计划", "催收货款", "确认发货时间", "通知调价", "回访使用情况", "")),
    "微信": (0.31, ("已回复", "未回复", "已下单", "报价中"),
           ("发送促销信息", "发送报价单", "发送对账单", "新品图片", "")),
    "关怀": (0.07, ("已送达", "客户感谢"),
           ("节日问候", "生日关怀", "送中秋礼品", "春节慰问", "")),
    "其他": (0.04, ("已处理", "需再跟进"), ("对账", "开票事宜", "资料更新", "")),
}
COMPLAINT = ("投诉", ("已处理", "处理中", "已补偿"),
             ("货物破损", "送货延迟", "质量问题", "发票有误", "价格争议"))

# Chinese New Year's day; years not listed fall back to 5 February
_CNY = _words("2016-02-08 2017-01-28 2018-02-16 2019-02-05 2020-01-25 2021-02-12 2022-02-01 "
        "2023-01-22 2024-02-10 2025-01-29 2026-02-17 2027-02-06 2028-01-26 2029-02-13 "
        "2030-02-03 2031-01-23 2032-02-11 2033-01-31 2034-02-19 2035-02-08")
CHINESE_NEW_YEAR: dict[int, dt.date] = {int(d[:4]): dt.date.fromisoformat(d) for d in _CNY}


def chinese_new_year(year: int) -> dt.date:
    """Chinese New Year's day of ``year`` (5 February outside 2016-2035), for the dip."""
    return CHINESE_NEW_YEAR.get(year, dt.date(year, 2, 5))
