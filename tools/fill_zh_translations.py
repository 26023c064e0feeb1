#!/usr/bin/env python3
"""Fills assets/i18n/aisyslab_zh_CN.ts from the table below (run after lupdate).

Usage: lupdate -I . app -ts assets/i18n/aisyslab_zh_CN.ts && python3 tools/fill_zh_translations.py
Messages not in the table stay unfinished and are listed, so nothing is silently untranslated.
"""
import html
import re
import sys
from pathlib import Path

ZH = {
    "%1 at byte %2": "%1（位于第 %2 字节）",
    'expected an object with a "frames" object': "应为包含 \"frames\" 对象的 JSON 对象",
    '"%1": expected a frame number with a list of strokes': "\"%1\"：应为帧号及其笔迹列表",
    "frame %1: expected strokes with color (4 numbers), width and points": "第 %1 帧：笔迹应包含颜色（4 个数）、宽度和点",
    "Could not read the drawings in %1: %2. New drawings are kept until you quit but not saved.": "无法读取 %1 中的绘图：%2。新的绘图会保留到退出，但不会保存。",
    "The drawings file %1 is damaged (%2) and could not be backed up, so it is left untouched. New drawings are kept until you quit but not saved.": "绘图文件 %1 已损坏（%2）且无法备份，因此保持原样。新的绘图会保留到退出，但不会保存。",
    "The drawings file %1 is damaged (%2). A copy was kept as %3; starting with no drawings.": "绘图文件 %1 已损坏（%2）。已将其备份为 %3；现在从空白开始。",
    "Drawings are not saved: %1 could not be read earlier (%2).": "绘图未保存：之前无法读取 %1（%2）。",
    "Drawings are not saved: there is no data folder.": "绘图未保存：没有数据文件夹。",
    "Could not save the drawings: the folder %1 cannot be created.": "无法保存绘图：无法创建文件夹 %1。",
    "Could not save the drawings to %1: %2": "无法把绘图保存到 %1：%2",
    "&File": "文件(&F)",
    "&Open Lesson File…": "打开课程文件(&O)…",
    "&Reload Lessons": "重新加载课程(&R)",
    "&Export Current View…": "导出当前画面(&E)…",
    "Export &All Steps…": "导出全部步骤(&A)…",
    "Export Lesson as &Slides…": "将课程导出为幻灯片(&S)…",
    "Export Lesson as Slides": "将课程导出为幻灯片",
    "Export this lesson, one page per step, as:": "导出本课程，每个步骤一页，格式：",
    "Slides, 1280×720 (16:9)": "幻灯片，1280×720（16:9）",
    "Slides, 1920×1080 (16:9)": "幻灯片，1920×1080（16:9）",
    "Slides, 1024×768 (4:3)": "幻灯片，1024×768（4:3）",
    "Handout (A4, picture and text)": "讲义（A4，图与文字）",
    "PDF (*.pdf)": "PDF（*.pdf）",
    "Exported %n page(s) to %1.": "已将 %n 页导出到 %1。",
    "&Quit": "退出(&Q)",
    "O&ptimize Model…": "优化模型(&P)…",
    "Open &Model…": "打开模型(&M)…",
    "Open &Trace…": "打开 Trace(&T)…",
    "Open Trace": "打开 Trace",
    "aisyslab-mpi traces (*.trace);;All files (*)": "aisyslab-mpi trace 文件 (*.trace);;所有文件 (*)",
    "Cannot replay the trace: %1": "无法回放该 trace：%1",
    "Replaying %1 beside its simulation.": "正在把 %1 与其模拟并排回放。",
    "Open Model": "打开模型",
    "ONNX models (*.onnx);;All files (*)": "ONNX 模型 (*.onnx);;所有文件 (*)",
    "The model %1 cannot be shown:\n%2": "无法显示模型 %1：\n%2",
    "Optimize Model": "优化模型",
    "The model %1 cannot be optimized:\n%2": "无法优化模型 %1：\n%2",
    "Optimizing %1 pass by pass.": "正在逐个 pass 优化 %1。",
    "&View": "视图(&V)",
    "&Presentation Mode": "演示模式(&P)",
    "Presentation &Scale": "演示缩放(&S)",
    "%1×": "%1×",
    "&Theme": "主题(&T)",
    "&Light": "浅色(&L)",
    "&Dark": "深色(&D)",
    "&Fit View": "适应窗口(&F)",
    "&Animations": "动画(&A)",
    "Narrative": "讲解",
    "Lessons": "课程",
    "Show &Narrative": "显示讲解(&N)",
    "Show Na&vigator": "显示课程目录(&V)",
    "&Clear Drawings on This Step": "清除本步骤的绘图(&C)",
    "&Language": "语言(&L)",
    "&Help": "帮助(&H)",
    "&Keyboard Shortcuts": "键盘快捷键(&K)",
    "&About AISys Lab": "关于 AISys Lab(&A)",
    "Next Step": "下一步",
    "Previous Step": "上一步",
    "First Step": "第一步",
    "Last Step": "最后一步",
    "Play or Pause": "播放或暂停",
    "Filter Lessons": "筛选课程",
    "Leave Presentation": "退出演示",
    "Blank Screen": "黑屏",
    "Pen": "画笔",
    "Clear Drawings": "清除绘图",
    "Narrative Strip": "讲解条",
    "Overlays": "叠加面板",
    'Lesson "%1" could not be loaded: %2': "无法加载课程“%1”：%2",
    'There is no lesson "%1".': "没有课程“%1”。",
    'Lesson "%1" needs the lab "%2", which this version does not have.': "课程“%1”需要实验模块“%2”，当前版本没有该模块。",
    'Lesson "%1" could not be started: %2': "无法启动课程“%1”：%2",
    "Drawings": "绘图",
    "No lesson could be opened. Lesson folders: %1": "无法打开任何课程。课程文件夹：%1",
    "Step %1 could not be drawn: %2": "无法绘制第 %1 步：%2",
    "No lesson": "未打开课程",
    "Step %1 of %2": "第 %1 步，共 %2 步",
    "%1 — AISys Lab": "%1 — AISys Lab",
    "AISys Lab": "AISys Lab",
    "%1: %2": "%1：%2",
    "That value does not work here: %1": "该数值在这里不可用：%1",
    "Open Lesson File": "打开课程文件",
    "Lesson files (*.toml);;All files (*)": "课程文件 (*.toml);;所有文件 (*)",
    "The lesson file %1 has errors and was not opened.": "课程文件 %1 有错误，未打开。",
    "Opened %1.": "已打开 %1。",
    "Reloaded %n lesson(s).": "已重新加载 %n 个课程。",
    "%n lesson(s) cannot run their parameters; see the navigator.": "%n 个课程的参数无法运行；见课程目录。",
    "Reloaded %n lesson(s); %1 file(s) have errors (see the navigator).": "已重新加载 %n 个课程；%1 个文件有错误（见课程目录）。",
    "Open a lesson first.": "请先打开一个课程。",
    'Cannot export to "%1": the file name must end in .svg, .pdf or .png.': "无法导出到“%1”：文件名必须以 .svg、.pdf 或 .png 结尾。",
    "SVG image (*.svg)": "SVG 图像 (*.svg)",
    "PDF document (*.pdf)": "PDF 文档 (*.pdf)",
    "PNG image (*.png)": "PNG 图像 (*.png)",
    "Export Current View": "导出当前画面",
    "PNG scale:": "PNG 缩放：",
    "%1× (%2)": "%1×（%2）",
    "screen": "屏幕",
    "sharp slides": "清晰幻灯片",
    "print": "印刷",
    "Exported %1.": "已导出 %1。",
    "SVG (vector)": "SVG（矢量）",
    "PDF (vector)": "PDF（矢量）",
    "PNG, 1×": "PNG，1×",
    "PNG, 2×": "PNG，2×",
    "PNG, 4×": "PNG，4×",
    "Export All Steps": "导出全部步骤",
    "Export every step of this lesson as:": "将本课程的每一步导出为：",
    "Export All Steps to Folder": "导出全部步骤到文件夹",
    "%n file(s) with these names already exist in %1. Replace them?": "%1 中已有 %n 个同名文件。要替换吗？",
    "Exporting steps…": "正在导出步骤…",
    "Cancel": "取消",
    "Step %1 could not be exported: %2": "无法导出第 %1 步：%2",
    "Exported %n step(s) to %1.": "已将 %n 个步骤导出到 %1。",
    "About AISys Lab": "关于 AISys Lab",
    "<h3>AISys Lab %1</h3><p>An interactive lab for the course “AI Systems”: AI chips, AI compilers, inference engines, framework internals and large-model training.</p><p>Step through live pictures computed by real engine code, present them in a lecture, and export them for slides and handouts.</p>":
        "<h3>AISys Lab %1</h3><p>“AI 系统”课程的交互式实验室：AI 芯片、AI 编译器、推理引擎、框架核心与大模型训练。</p><p>逐步观察由真实引擎代码计算出的动态图示，在课堂上演示，并导出到幻灯片和讲义中。</p>",
    "Next step": "下一步",
    "Previous step": "上一步",
    "First / last step": "第一步 / 最后一步",
    "Play or pause (in presentation mode: next step)": "播放或暂停（演示模式下：下一步）",
    "Filter the lesson list": "筛选课程列表",
    "Open a lesson file": "打开课程文件",
    "Reload lessons": "重新加载课程",
    "Export the current view": "导出当前画面",
    "Export all steps": "导出全部步骤",
    "Fit the picture to the view": "让图示适应窗口",
    "Start or leave presentation mode": "进入或退出演示模式",
    "Quit": "退出",
    "Leave presentation mode": "退出演示模式",
    "Blank the screen / show it again": "黑屏 / 恢复显示",
    "Laser pointer while held down": "按住时显示激光笔",
    "Pen on / off (drawings are kept per step)": "画笔开 / 关（绘图按步骤保存）",
    "Clear this step's drawings": "清除本步骤的绘图",
    "Show / hide the narrative strip": "显示 / 隐藏讲解条",
    "Show / hide the parameter panel and legend": "显示 / 隐藏参数面板和图例",
    "Anywhere": "任何时候",
    "In presentation mode": "演示模式下",
    "Slide clickers send Page Up / Page Down, which step back and forward.": "翻页笔发送 Page Up / Page Down，分别对应上一步和下一步。",
    "Keyboard Shortcuts": "键盘快捷键",
    "Choose a lesson in the navigator to begin.": "在课程目录中选择一个课程开始学习。",
    "Step %1": "第 %1 步",
    "%1. %2": "%1. %2",
    "Other lessons": "其他课程",
    "From your lesson folder": "来自你的课程文件夹",
    "This lesson file could not be loaded:\n%1\n%2": "无法加载此课程文件：\n%1\n%2",
    "Filter lessons (Ctrl+F)": "筛选课程 (Ctrl+F)",
    "Type part of a title (English or Chinese) or a lesson id": "输入标题的一部分（中文或英文）或课程 ID",
    "Could not be loaded (%n)": "无法加载（%n）",
    "These lesson files have errors. Fix them and choose File ▸ Reload Lessons.": "这些课程文件有错误。修正后选择 文件 ▸ 重新加载课程。",
    "%1 / %2": "%1 / %2",
    "Pause (%1)": "暂停（%1）",
    "Play (%1)": "播放（%1）",
    "Pause": "暂停",
    "Play": "播放",
    "Step Bar": "步骤栏",
    "First step (%1)": "第一步（%1）",
    "Previous step (%1)": "上一步（%1）",
    "Next step (%1)": "下一步（%1）",
    "Last step (%1)": "最后一步（%1）",
    "Drag to move through the steps": "拖动以浏览各个步骤",
    "Speed": "速度",
    "Playback speed": "播放速度",
}


def main() -> int:
    path = Path(__file__).resolve().parent.parent / "assets/i18n/aisyslab_zh_CN.ts"
    text = path.read_text(encoding="utf-8")
    missing = []

    def fill(m: re.Match) -> str:
        block = m.group(0)
        src = html.unescape(re.search(r"<source>(.*?)</source>", block, re.S).group(1))
        zh = ZH.get(src)
        if zh is None:
            missing.append(src)
            return block
        esc = html.escape(zh, quote=False).replace('"', "&quot;").replace("'", "&apos;")
        if 'numerus="yes"' in block:
            tr = f"<translation><numerusform>{esc}</numerusform></translation>"
        else:
            tr = f"<translation>{esc}</translation>"
        return re.sub(r"<translation[^>]*?(/>|>.*?</translation>)", tr, block, flags=re.S)

    text = re.sub(r"<message[^>]*>.*?</message>", fill, text, flags=re.S)
    path.write_text(text, encoding="utf-8")
    for s in missing:
        print("untranslated:", s, file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
