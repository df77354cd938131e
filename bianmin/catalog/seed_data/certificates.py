"""证明事项清单 of the demo district: certificates an agency may still ask for, with their legal basis.

Keys are referenced by materials in items.py (``cert="…"``). ``dept`` is a department key of items.DEPARTMENTS.
"""

CERTIFICATES = [
    {
        "key": "birth_medical",
        "name": "出生医学证明",
        "legal_basis": "《中华人民共和国母婴保健法》第二十三条；《中华人民共和国户口登记条例》第七条",
        "dept": "police",
        "issuing_unit": "具有助产技术服务资质的医疗保健机构",
        "guide": "新生儿出生后，由出生所在医疗保健机构签发；遗失的向原签发机构申请补发。",
        "commitment_allowed": False,
        "alternative": "已与卫生健康部门出生医学证明电子数据共享的，可免于提交纸质证明。",
    },
    {
        "key": "no_criminal_record",
        "name": "无犯罪记录证明",
        "legal_basis": "《娱乐场所管理条例》第五条；《公安机关办理犯罪记录查询工作规定》",
        "dept": "culture",
        "issuing_unit": "户籍地或经常居住地公安派出所",
        "guide": "本人持身份证到公安派出所申请，或通过“粤省事”在线申请电子证明。",
        "commitment_allowed": True,
        "alternative": "申请人书面承诺无《娱乐场所管理条例》第五条所列情形，由审批部门事后核查。",
    },
    {
        "key": "health_certificate",
        "name": "从业人员健康合格证明",
        "legal_basis": "《公共场所卫生管理条例》第七条；《公共场所卫生管理条例实施细则》第十条",
        "dept": "health",
        "issuing_unit": "具备健康检查资质的医疗卫生机构",
        "guide": "直接为顾客服务的从业人员每年进行健康检查，取得健康合格证明后方可上岗。",
        "commitment_allowed": True,
        "alternative": "实行告知承诺：申请人承诺从业人员取得健康合格证明后上岗，监管部门事后核查。",
    },
    {
        "key": "labour_termination",
        "name": "解除或者终止劳动关系的证明",
        "legal_basis": "《中华人民共和国劳动合同法》第五十条；《失业保险金申领发放办法》第六条",
        "dept": "hrss",
        "issuing_unit": "原用人单位",
        "guide": "用人单位在解除或者终止劳动合同时出具，并在十五日内为劳动者办理档案和社会保险关系转移手续。",
        "commitment_allowed": False,
        "alternative": "已在社会保险信息系统办理停保的，经办机构通过系统核验，可不再提交。",
    },
    {
        "key": "income_statement",
        "name": "家庭成员收入证明",
        "legal_basis": "《社会救助暂行办法》第十一条；《最低生活保障审核确认办法》第九条",
        "dept": "civil",
        "issuing_unit": "家庭成员就业单位",
        "guide": "有固定工作的家庭成员由工作单位出具近6个月的收入证明；无工作单位的由本人书面声明。",
        "commitment_allowed": True,
        "alternative": "由申请人如实填写家庭收入申报并签署授权核对承诺书，经居民家庭经济状况核对系统核对。",
    },
    {
        "key": "kinship",
        "name": "亲属关系证明",
        "legal_basis": "《中华人民共和国老年人权益保障法》第三十三条",
        "dept": "civil",
        "issuing_unit": "户籍所在地公安派出所或村（居）民委员会",
        "guide": "委托亲属代领高龄津贴时提供；户口簿能反映亲属关系的，不再另行开具。",
        "commitment_allowed": True,
        "alternative": "户口簿能反映亲属关系的以户口簿代替；其他情形可由申请人书面承诺。",
    },
]
