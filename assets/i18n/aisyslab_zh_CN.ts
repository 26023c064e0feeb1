<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AnnotationStore</name>
    <message>
        <location filename="../../app/annotation_store.cpp" line="82"/>
        <source>%1 at byte %2</source>
        <translation>%1（位于第 %2 字节）</translation>
    </message>
    <message>
        <location filename="../../app/annotation_store.cpp" line="89"/>
        <source>expected an object with a &quot;frames&quot; object</source>
        <translation>应为包含 &quot;frames&quot; 对象的 JSON 对象</translation>
    </message>
    <message>
        <location filename="../../app/annotation_store.cpp" line="98"/>
        <source>&quot;%1&quot;: expected a frame number with a list of strokes</source>
        <translation>&quot;%1&quot;：应为帧号及其笔迹列表</translation>
    </message>
    <message>
        <location filename="../../app/annotation_store.cpp" line="107"/>
        <source>frame %1: expected strokes with color (4 numbers), width and points</source>
        <translation>第 %1 帧：笔迹应包含颜色（4 个数）、宽度和点</translation>
    </message>
    <message>
        <location filename="../../app/annotation_store.cpp" line="142"/>
        <source>Could not read the drawings in %1: %2. New drawings are kept until you quit but not saved.</source>
        <translation>无法读取 %1 中的绘图：%2。新的绘图会保留到退出，但不会保存。</translation>
    </message>
    <message>
        <location filename="../../app/annotation_store.cpp" line="162"/>
        <source>The drawings file %1 is damaged (%2) and could not be backed up, so it is left untouched. New drawings are kept until you quit but not saved.</source>
        <translation>绘图文件 %1 已损坏（%2）且无法备份，因此保持原样。新的绘图会保留到退出，但不会保存。</translation>
    </message>
    <message>
        <location filename="../../app/annotation_store.cpp" line="166"/>
        <source>The drawings file %1 is damaged (%2). A copy was kept as %3; starting with no drawings.</source>
        <translation>绘图文件 %1 已损坏（%2）。已将其备份为 %3；现在从空白开始。</translation>
    </message>
    <message>
        <location filename="../../app/annotation_store.cpp" line="200"/>
        <source>Drawings are not saved: %1 could not be read earlier (%2).</source>
        <translation>绘图未保存：之前无法读取 %1（%2）。</translation>
    </message>
    <message>
        <location filename="../../app/annotation_store.cpp" line="203"/>
        <source>Drawings are not saved: there is no data folder.</source>
        <translation>绘图未保存：没有数据文件夹。</translation>
    </message>
    <message>
        <location filename="../../app/annotation_store.cpp" line="206"/>
        <source>Could not save the drawings: the folder %1 cannot be created.</source>
        <translation>无法保存绘图：无法创建文件夹 %1。</translation>
    </message>
    <message>
        <location filename="../../app/annotation_store.cpp" line="223"/>
        <source>Could not save the drawings to %1: %2</source>
        <translation>无法把绘图保存到 %1：%2</translation>
    </message>
</context>
<context>
    <name>ExportDialogs</name>
    <message>
        <location filename="../../app/export_dialogs.cpp" line="74"/>
        <source>Cannot export to &quot;%1&quot;: the file name must end in .svg, .pdf or .png.</source>
        <translation>无法导出到“%1”：文件名必须以 .svg、.pdf 或 .png 结尾。</translation>
    </message>
    <message>
        <location filename="../../app/export_dialogs.cpp" line="92"/>
        <source>SVG image (*.svg)</source>
        <translation>SVG 图像 (*.svg)</translation>
    </message>
    <message>
        <location filename="../../app/export_dialogs.cpp" line="93"/>
        <source>PDF document (*.pdf)</source>
        <translation>PDF 文档 (*.pdf)</translation>
    </message>
    <message>
        <location filename="../../app/export_dialogs.cpp" line="94"/>
        <source>PNG image (*.png)</source>
        <translation>PNG 图像 (*.png)</translation>
    </message>
    <message>
        <location filename="../../app/export_dialogs.cpp" line="101"/>
        <location filename="../../app/export_dialogs.cpp" line="162"/>
        <source>Export Current View</source>
        <translation>导出当前画面</translation>
    </message>
    <message>
        <location filename="../../app/export_dialogs.cpp" line="111"/>
        <source>PNG scale:</source>
        <translation>PNG 缩放：</translation>
    </message>
    <message>
        <location filename="../../app/export_dialogs.cpp" line="114"/>
        <source>%1× (%2)</source>
        <translation>%1×（%2）</translation>
    </message>
    <message>
        <location filename="../../app/export_dialogs.cpp" line="116"/>
        <source>screen</source>
        <translation>屏幕</translation>
    </message>
    <message>
        <location filename="../../app/export_dialogs.cpp" line="117"/>
        <source>sharp slides</source>
        <translation>清晰幻灯片</translation>
    </message>
    <message>
        <location filename="../../app/export_dialogs.cpp" line="118"/>
        <source>print</source>
        <translation>印刷</translation>
    </message>
    <message>
        <location filename="../../app/export_dialogs.cpp" line="165"/>
        <source>Exported %1.</source>
        <translation>已导出 %1。</translation>
    </message>
    <message>
        <location filename="../../app/export_dialogs.cpp" line="171"/>
        <source>SVG (vector)</source>
        <translation>SVG（矢量）</translation>
    </message>
    <message>
        <location filename="../../app/export_dialogs.cpp" line="171"/>
        <source>PDF (vector)</source>
        <translation>PDF（矢量）</translation>
    </message>
    <message>
        <location filename="../../app/export_dialogs.cpp" line="171"/>
        <source>PNG, 1×</source>
        <translation>PNG，1×</translation>
    </message>
    <message>
        <location filename="../../app/export_dialogs.cpp" line="171"/>
        <source>PNG, 2×</source>
        <translation>PNG，2×</translation>
    </message>
    <message>
        <location filename="../../app/export_dialogs.cpp" line="172"/>
        <source>PNG, 4×</source>
        <translation>PNG，4×</translation>
    </message>
    <message>
        <location filename="../../app/export_dialogs.cpp" line="178"/>
        <location filename="../../app/export_dialogs.cpp" line="201"/>
        <location filename="../../app/export_dialogs.cpp" line="226"/>
        <source>Export All Steps</source>
        <translation>导出全部步骤</translation>
    </message>
    <message>
        <location filename="../../app/export_dialogs.cpp" line="178"/>
        <source>Export every step of this lesson as:</source>
        <translation>将本课程的每一步导出为：</translation>
    </message>
    <message>
        <location filename="../../app/export_dialogs.cpp" line="183"/>
        <source>Export All Steps to Folder</source>
        <translation>导出全部步骤到文件夹</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/export_dialogs.cpp" line="202"/>
        <source>%n file(s) with these names already exist in %1. Replace them?</source>
        <translation><numerusform>%1 中已有 %n 个同名文件。要替换吗？</numerusform></translation>
    </message>
    <message>
        <location filename="../../app/export_dialogs.cpp" line="207"/>
        <source>Exporting steps…</source>
        <translation>正在导出步骤…</translation>
    </message>
    <message>
        <location filename="../../app/export_dialogs.cpp" line="207"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../app/export_dialogs.cpp" line="227"/>
        <source>Step %1 could not be exported: %2</source>
        <translation>无法导出第 %1 步：%2</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/export_dialogs.cpp" line="233"/>
        <source>Exported %n step(s) to %1.</source>
        <translation><numerusform>已将 %n 个步骤导出到 %1。</numerusform></translation>
    </message>
    <message>
        <location filename="../../app/export_dialogs.cpp" line="239"/>
        <source>Slides, 1280×720 (16:9)</source>
        <translation>幻灯片，1280×720（16:9）</translation>
    </message>
    <message>
        <location filename="../../app/export_dialogs.cpp" line="239"/>
        <source>Slides, 1920×1080 (16:9)</source>
        <translation>幻灯片，1920×1080（16:9）</translation>
    </message>
    <message>
        <location filename="../../app/export_dialogs.cpp" line="240"/>
        <source>Slides, 1024×768 (4:3)</source>
        <translation>幻灯片，1024×768（4:3）</translation>
    </message>
    <message>
        <location filename="../../app/export_dialogs.cpp" line="240"/>
        <source>Handout (A4, picture and text)</source>
        <translation>讲义（A4，图与文字）</translation>
    </message>
    <message>
        <location filename="../../app/export_dialogs.cpp" line="244"/>
        <location filename="../../app/export_dialogs.cpp" line="253"/>
        <location filename="../../app/export_dialogs.cpp" line="270"/>
        <source>Export Lesson as Slides</source>
        <translation>将课程导出为幻灯片</translation>
    </message>
    <message>
        <location filename="../../app/export_dialogs.cpp" line="244"/>
        <source>Export this lesson, one page per step, as:</source>
        <translation>导出本课程，每个步骤一页，格式：</translation>
    </message>
    <message>
        <location filename="../../app/export_dialogs.cpp" line="254"/>
        <source>PDF (*.pdf)</source>
        <translation>PDF（*.pdf）</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/export_dialogs.cpp" line="273"/>
        <source>Exported %n page(s) to %1.</source>
        <translation><numerusform>已将 %n 页导出到 %1。</numerusform></translation>
    </message>
</context>
<context>
    <name>HelpDialogs</name>
    <message>
        <location filename="../../app/help_dialogs.cpp" line="30"/>
        <source>About AISys Lab</source>
        <translation>关于 AISys Lab</translation>
    </message>
    <message>
        <location filename="../../app/help_dialogs.cpp" line="31"/>
        <source>&lt;h3&gt;AISys Lab %1&lt;/h3&gt;&lt;p&gt;An interactive lab for the course “AI Systems”: AI chips, AI compilers, inference engines, framework internals and large-model training.&lt;/p&gt;&lt;p&gt;Step through live pictures computed by real engine code, present them in a lecture, and export them for slides and handouts.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;AISys Lab %1&lt;/h3&gt;&lt;p&gt;“AI 系统”课程的交互式实验室：AI 芯片、AI 编译器、推理引擎、框架核心与大模型训练。&lt;/p&gt;&lt;p&gt;逐步观察由真实引擎代码计算出的动态图示，在课堂上演示，并导出到幻灯片和讲义中。&lt;/p&gt;</translation>
    </message>
    <message>
        <location filename="../../app/help_dialogs.cpp" line="50"/>
        <source>Next step</source>
        <translation>下一步</translation>
    </message>
    <message>
        <location filename="../../app/help_dialogs.cpp" line="51"/>
        <source>Previous step</source>
        <translation>上一步</translation>
    </message>
    <message>
        <location filename="../../app/help_dialogs.cpp" line="52"/>
        <source>First / last step</source>
        <translation>第一步 / 最后一步</translation>
    </message>
    <message>
        <location filename="../../app/help_dialogs.cpp" line="53"/>
        <source>Play or pause (in presentation mode: next step)</source>
        <translation>播放或暂停（演示模式下：下一步）</translation>
    </message>
    <message>
        <location filename="../../app/help_dialogs.cpp" line="54"/>
        <source>Filter the lesson list</source>
        <translation>筛选课程列表</translation>
    </message>
    <message>
        <location filename="../../app/help_dialogs.cpp" line="55"/>
        <source>Open a lesson file</source>
        <translation>打开课程文件</translation>
    </message>
    <message>
        <location filename="../../app/help_dialogs.cpp" line="56"/>
        <source>Reload lessons</source>
        <translation>重新加载课程</translation>
    </message>
    <message>
        <location filename="../../app/help_dialogs.cpp" line="57"/>
        <source>Export the current view</source>
        <translation>导出当前画面</translation>
    </message>
    <message>
        <location filename="../../app/help_dialogs.cpp" line="58"/>
        <source>Export all steps</source>
        <translation>导出全部步骤</translation>
    </message>
    <message>
        <location filename="../../app/help_dialogs.cpp" line="59"/>
        <source>Fit the picture to the view</source>
        <translation>让图示适应窗口</translation>
    </message>
    <message>
        <location filename="../../app/help_dialogs.cpp" line="60"/>
        <source>Start or leave presentation mode</source>
        <translation>进入或退出演示模式</translation>
    </message>
    <message>
        <location filename="../../app/help_dialogs.cpp" line="61"/>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <location filename="../../app/help_dialogs.cpp" line="64"/>
        <source>Leave presentation mode</source>
        <translation>退出演示模式</translation>
    </message>
    <message>
        <location filename="../../app/help_dialogs.cpp" line="65"/>
        <source>Blank the screen / show it again</source>
        <translation>黑屏 / 恢复显示</translation>
    </message>
    <message>
        <location filename="../../app/help_dialogs.cpp" line="66"/>
        <source>Laser pointer while held down</source>
        <translation>按住时显示激光笔</translation>
    </message>
    <message>
        <location filename="../../app/help_dialogs.cpp" line="67"/>
        <source>Pen on / off (drawings are kept per step)</source>
        <translation>画笔开 / 关（绘图按步骤保存）</translation>
    </message>
    <message>
        <location filename="../../app/help_dialogs.cpp" line="68"/>
        <source>Clear this step&apos;s drawings</source>
        <translation>清除本步骤的绘图</translation>
    </message>
    <message>
        <location filename="../../app/help_dialogs.cpp" line="69"/>
        <source>Show / hide the narrative strip</source>
        <translation>显示 / 隐藏讲解条</translation>
    </message>
    <message>
        <location filename="../../app/help_dialogs.cpp" line="70"/>
        <source>Show / hide the parameter panel and legend</source>
        <translation>显示 / 隐藏参数面板和图例</translation>
    </message>
    <message>
        <location filename="../../app/help_dialogs.cpp" line="73"/>
        <source>Anywhere</source>
        <translation>任何时候</translation>
    </message>
    <message>
        <location filename="../../app/help_dialogs.cpp" line="78"/>
        <source>In presentation mode</source>
        <translation>演示模式下</translation>
    </message>
    <message>
        <location filename="../../app/help_dialogs.cpp" line="83"/>
        <source>Slide clickers send Page Up / Page Down, which step back and forward.</source>
        <translation>翻页笔发送 Page Up / Page Down，分别对应上一步和下一步。</translation>
    </message>
    <message>
        <location filename="../../app/help_dialogs.cpp" line="87"/>
        <source>Keyboard Shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
</context>
<context>
    <name>LessonLibrary</name>
    <message>
        <location filename="../../app/lesson_library.cpp" line="41"/>
        <source>Lesson &quot;%1&quot; could not be loaded: %2</source>
        <translation>无法加载课程“%1”：%2</translation>
    </message>
    <message>
        <location filename="../../app/lesson_library.cpp" line="47"/>
        <source>There is no lesson &quot;%1&quot;.</source>
        <translation>没有课程“%1”。</translation>
    </message>
    <message>
        <location filename="../../app/lesson_library.cpp" line="52"/>
        <source>Lesson &quot;%1&quot; needs the lab &quot;%2&quot;, which this version does not have.</source>
        <translation>课程“%1”需要实验模块“%2”，当前版本没有该模块。</translation>
    </message>
    <message>
        <location filename="../../app/lesson_library.cpp" line="62"/>
        <source>Lesson &quot;%1&quot; could not be started: %2</source>
        <translation>无法启动课程“%1”：%2</translation>
    </message>
    <message>
        <location filename="../../app/lesson_library.cpp" line="83"/>
        <location filename="../../app/lesson_library.cpp" line="94"/>
        <source>Open Lesson File</source>
        <translation>打开课程文件</translation>
    </message>
    <message>
        <location filename="../../app/lesson_library.cpp" line="84"/>
        <source>Lesson files (*.toml);;All files (*)</source>
        <translation>课程文件 (*.toml);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../../app/lesson_library.cpp" line="95"/>
        <source>The lesson file %1 has errors and was not opened.</source>
        <translation>课程文件 %1 有错误，未打开。</translation>
    </message>
    <message>
        <location filename="../../app/lesson_library.cpp" line="168"/>
        <source>Open Model</source>
        <translation>打开模型</translation>
    </message>
    <message>
        <location filename="../../app/lesson_library.cpp" line="157"/>
        <source>ONNX models (*.onnx);;All files (*)</source>
        <translation>ONNX 模型 (*.onnx);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../../app/lesson_library.cpp" line="179"/>
        <source>The model %1 cannot be shown:
%2</source>
        <translation>无法显示模型 %1：
%2</translation>
    </message>
    <message>
        <location filename="../../app/lesson_library.cpp" line="244"/>
        <source>Optimize Model</source>
        <translation>优化模型</translation>
    </message>
    <message>
        <location filename="../../app/lesson_library.cpp" line="253"/>
        <source>The model %1 cannot be optimized:
%2</source>
        <translation>无法优化模型 %1：
%2</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/lesson_library.cpp" line="280"/>
        <source>Reloaded %n lesson(s); %1 file(s) have errors (see the navigator).</source>
        <translation><numerusform>已重新加载 %n 个课程；%1 个文件有错误（见课程目录）。</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/lesson_library.cpp" line="283"/>
        <source>Reloaded %n lesson(s).</source>
        <translation><numerusform>已重新加载 %n 个课程。</numerusform></translation>
    </message>
</context>
<context>
    <name>StatusLine</name>
    <message>
        <location filename="../../app/status_line.cpp" line="23"/>
        <source>No lesson</source>
        <translation>未打开课程</translation>
    </message>
    <message>
        <location filename="../../app/status_line.cpp" line="30"/>
        <source>Step %1 of %2</source>
        <translation>第 %1 步，共 %2 步</translation>
    </message>
</context>
<context>
    <name>WindowActions</name>
    <message>
        <location filename="../../app/window_actions.cpp" line="123"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../app/window_actions.cpp" line="124"/>
        <source>&amp;Open Lesson File…</source>
        <translation>打开课程文件(&amp;O)…</translation>
    </message>
    <message>
        <location filename="../../app/window_actions.cpp" line="125"/>
        <source>Open &amp;Model…</source>
        <translation>打开模型(&amp;M)…</translation>
    </message>
    <message>
        <source>Open &amp;Trace…</source>
        <translation>打开 Trace(&amp;T)…</translation>
    </message>
    <message>
        <location filename="../../app/window_actions.cpp" line="126"/>
        <source>O&amp;ptimize Model…</source>
        <translation>优化模型(&amp;P)…</translation>
    </message>
    <message>
        <location filename="../../app/window_actions.cpp" line="127"/>
        <source>&amp;Reload Lessons</source>
        <translation>重新加载课程(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../app/window_actions.cpp" line="128"/>
        <source>&amp;Export Current View…</source>
        <translation>导出当前画面(&amp;E)…</translation>
    </message>
    <message>
        <location filename="../../app/window_actions.cpp" line="129"/>
        <source>Export &amp;All Steps…</source>
        <translation>导出全部步骤(&amp;A)…</translation>
    </message>
    <message>
        <location filename="../../app/window_actions.cpp" line="130"/>
        <source>Export Lesson as &amp;Slides…</source>
        <translation>将课程导出为幻灯片(&amp;S)…</translation>
    </message>
    <message>
        <location filename="../../app/window_actions.cpp" line="131"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../../app/window_actions.cpp" line="133"/>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location filename="../../app/window_actions.cpp" line="134"/>
        <source>&amp;Presentation Mode</source>
        <translation>演示模式(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../app/window_actions.cpp" line="135"/>
        <source>Presentation &amp;Scale</source>
        <translation>演示缩放(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../app/window_actions.cpp" line="137"/>
        <source>%1×</source>
        <translation>%1×</translation>
    </message>
    <message>
        <location filename="../../app/window_actions.cpp" line="138"/>
        <source>&amp;Theme</source>
        <translation>主题(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../app/window_actions.cpp" line="139"/>
        <source>&amp;Light</source>
        <translation>浅色(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../app/window_actions.cpp" line="140"/>
        <source>&amp;Dark</source>
        <translation>深色(&amp;D)</translation>
    </message>
    <message>
        <location filename="../../app/window_actions.cpp" line="141"/>
        <source>&amp;Fit View</source>
        <translation>适应窗口(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../app/window_actions.cpp" line="142"/>
        <source>&amp;Animations</source>
        <translation>动画(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../app/window_actions.cpp" line="144"/>
        <source>Narrative</source>
        <translation>讲解</translation>
    </message>
    <message>
        <location filename="../../app/window_actions.cpp" line="145"/>
        <source>Lessons</source>
        <translation>课程</translation>
    </message>
    <message>
        <location filename="../../app/window_actions.cpp" line="146"/>
        <source>Show &amp;Narrative</source>
        <translation>显示讲解(&amp;N)</translation>
    </message>
    <message>
        <location filename="../../app/window_actions.cpp" line="147"/>
        <source>Show Na&amp;vigator</source>
        <translation>显示课程目录(&amp;V)</translation>
    </message>
    <message>
        <location filename="../../app/window_actions.cpp" line="148"/>
        <source>&amp;Clear Drawings on This Step</source>
        <translation>清除本步骤的绘图(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../app/window_actions.cpp" line="150"/>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../app/window_actions.cpp" line="155"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../app/window_actions.cpp" line="156"/>
        <source>&amp;Keyboard Shortcuts</source>
        <translation>键盘快捷键(&amp;K)</translation>
    </message>
    <message>
        <location filename="../../app/window_actions.cpp" line="157"/>
        <source>&amp;About AISys Lab</source>
        <translation>关于 AISys Lab(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../app/window_actions.cpp" line="159"/>
        <source>Next Step</source>
        <translation>下一步</translation>
    </message>
    <message>
        <location filename="../../app/window_actions.cpp" line="160"/>
        <source>Previous Step</source>
        <translation>上一步</translation>
    </message>
    <message>
        <location filename="../../app/window_actions.cpp" line="161"/>
        <source>First Step</source>
        <translation>第一步</translation>
    </message>
    <message>
        <location filename="../../app/window_actions.cpp" line="162"/>
        <source>Last Step</source>
        <translation>最后一步</translation>
    </message>
    <message>
        <location filename="../../app/window_actions.cpp" line="163"/>
        <source>Play or Pause</source>
        <translation>播放或暂停</translation>
    </message>
    <message>
        <location filename="../../app/window_actions.cpp" line="164"/>
        <source>Filter Lessons</source>
        <translation>筛选课程</translation>
    </message>
</context>
<context>
    <name>aisys::app::MainWindow</name>
    <message>
        <source>Cannot replay the trace: %1</source>
        <translation>无法回放该 trace：%1</translation>
    </message>
    <message>
        <source>Replaying %1 beside its simulation.</source>
        <translation>正在把 %1 与其模拟并排回放。</translation>
    </message>
    <message>
        <source>Open Trace</source>
        <translation>打开 Trace</translation>
    </message>
    <message>
        <source>aisyslab-mpi traces (*.trace);;All files (*)</source>
        <translation>aisyslab-mpi trace 文件 (*.trace);;所有文件 (*)</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/main_window.cpp" line="99"/>
        <source>%n lesson(s) cannot run their parameters; see the navigator.</source>
        <translation><numerusform>%n 个课程的参数无法运行；见课程目录。</numerusform></translation>
    </message>
    <message>
        <location filename="../../app/main_window.cpp" line="322"/>
        <source>Drawings</source>
        <translation>绘图</translation>
    </message>
    <message>
        <location filename="../../app/main_window.cpp" line="347"/>
        <source>No lesson could be opened. Lesson folders: %1</source>
        <translation>无法打开任何课程。课程文件夹：%1</translation>
    </message>
    <message>
        <location filename="../../app/main_window.cpp" line="389"/>
        <source>Step %1 could not be drawn: %2</source>
        <translation>无法绘制第 %1 步：%2</translation>
    </message>
    <message>
        <location filename="../../app/main_window.cpp" line="425"/>
        <source>%1 — AISys Lab</source>
        <translation>%1 — AISys Lab</translation>
    </message>
    <message>
        <location filename="../../app/main_window.cpp" line="427"/>
        <source>AISys Lab</source>
        <translation>AISys Lab</translation>
    </message>
    <message>
        <location filename="../../app/main_window.cpp" line="449"/>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <location filename="../../app/main_window.cpp" line="467"/>
        <source>That value does not work here: %1</source>
        <translation>该数值在这里不可用：%1</translation>
    </message>
    <message>
        <location filename="../../app/main_window.cpp" line="573"/>
        <location filename="../../app/main_window.cpp" line="583"/>
        <source>Opened %1.</source>
        <translation>已打开 %1。</translation>
    </message>
    <message>
        <location filename="../../app/main_window.cpp" line="593"/>
        <source>Optimizing %1 pass by pass.</source>
        <translation>正在逐个 pass 优化 %1。</translation>
    </message>
    <message>
        <location filename="../../app/main_window.cpp" line="640"/>
        <location filename="../../app/main_window.cpp" line="646"/>
        <location filename="../../app/main_window.cpp" line="657"/>
        <location filename="../../app/main_window.cpp" line="668"/>
        <source>Open a lesson first.</source>
        <translation>请先打开一个课程。</translation>
    </message>
</context>
<context>
    <name>aisys::app::NarrativePane</name>
    <message>
        <location filename="../../app/narrative_pane.cpp" line="118"/>
        <source>Choose a lesson in the navigator to begin.</source>
        <translation>在课程目录中选择一个课程开始学习。</translation>
    </message>
    <message>
        <location filename="../../app/narrative_pane.cpp" line="154"/>
        <source>Step %1</source>
        <translation>第 %1 步</translation>
    </message>
    <message>
        <location filename="../../app/narrative_pane.cpp" line="154"/>
        <source>%1. %2</source>
        <translation>%1. %2</translation>
    </message>
</context>
<context>
    <name>aisys::app::Navigator</name>
    <message>
        <location filename="../../app/navigator.cpp" line="107"/>
        <source>Other lessons</source>
        <translation>其他课程</translation>
    </message>
    <message>
        <location filename="../../app/navigator.cpp" line="142"/>
        <source>From your lesson folder</source>
        <translation>来自你的课程文件夹</translation>
    </message>
    <message>
        <location filename="../../app/navigator.cpp" line="181"/>
        <source>This lesson file could not be loaded:
%1
%2</source>
        <translation>无法加载此课程文件：
%1
%2</translation>
    </message>
    <message>
        <location filename="../../app/navigator.cpp" line="194"/>
        <source>Filter lessons (Ctrl+F)</source>
        <translation>筛选课程 (Ctrl+F)</translation>
    </message>
    <message>
        <location filename="../../app/navigator.cpp" line="195"/>
        <source>Type part of a title (English or Chinese) or a lesson id</source>
        <translation>输入标题的一部分（中文或英文）或课程 ID</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/navigator.cpp" line="197"/>
        <source>Could not be loaded (%n)</source>
        <translation><numerusform>无法加载（%n）</numerusform></translation>
    </message>
    <message>
        <location filename="../../app/navigator.cpp" line="199"/>
        <source>These lesson files have errors. Fix them and choose File ▸ Reload Lessons.</source>
        <translation>这些课程文件有错误。修正后选择 文件 ▸ 重新加载课程。</translation>
    </message>
</context>
<context>
    <name>aisys::app::PresentationController</name>
    <message>
        <location filename="../../app/presentation_controller.cpp" line="136"/>
        <source>Leave Presentation</source>
        <translation>退出演示</translation>
    </message>
    <message>
        <location filename="../../app/presentation_controller.cpp" line="137"/>
        <source>Blank Screen</source>
        <translation>黑屏</translation>
    </message>
    <message>
        <location filename="../../app/presentation_controller.cpp" line="138"/>
        <source>Pen</source>
        <translation>画笔</translation>
    </message>
    <message>
        <location filename="../../app/presentation_controller.cpp" line="139"/>
        <source>Clear Drawings</source>
        <translation>清除绘图</translation>
    </message>
    <message>
        <location filename="../../app/presentation_controller.cpp" line="140"/>
        <source>Narrative Strip</source>
        <translation>讲解条</translation>
    </message>
    <message>
        <location filename="../../app/presentation_controller.cpp" line="141"/>
        <source>Overlays</source>
        <translation>叠加面板</translation>
    </message>
</context>
<context>
    <name>aisys::app::PresentationStrip</name>
    <message>
        <location filename="../../app/presentation_strip.cpp" line="53"/>
        <source>%1 / %2</source>
        <translation>%1 / %2</translation>
    </message>
</context>
<context>
    <name>aisys::app::ViewportWidget</name>
    <message>
        <location filename="../../app/viewport_widget.cpp" line="169"/>
        <source>no match</source>
        <translation>没有匹配</translation>
    </message>
</context>
<context>
    <name>aisys::app::StepBar</name>
    <message>
        <location filename="../../app/step_bar.cpp" line="215"/>
        <location filename="../../app/step_bar.cpp" line="246"/>
        <source>Step %1 of %2</source>
        <translation>第 %1 步，共 %2 步</translation>
    </message>
    <message>
        <location filename="../../app/step_bar.cpp" line="223"/>
        <source>Pause (%1)</source>
        <translation>暂停（%1）</translation>
    </message>
    <message>
        <location filename="../../app/step_bar.cpp" line="224"/>
        <source>Play (%1)</source>
        <translation>播放（%1）</translation>
    </message>
    <message>
        <location filename="../../app/step_bar.cpp" line="225"/>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <location filename="../../app/step_bar.cpp" line="225"/>
        <source>Play</source>
        <translation>播放</translation>
    </message>
    <message>
        <location filename="../../app/step_bar.cpp" line="229"/>
        <source>Step Bar</source>
        <translation>步骤栏</translation>
    </message>
    <message>
        <location filename="../../app/step_bar.cpp" line="230"/>
        <source>First Step</source>
        <translation>第一步</translation>
    </message>
    <message>
        <location filename="../../app/step_bar.cpp" line="231"/>
        <source>First step (%1)</source>
        <translation>第一步（%1）</translation>
    </message>
    <message>
        <location filename="../../app/step_bar.cpp" line="232"/>
        <source>Previous Step</source>
        <translation>上一步</translation>
    </message>
    <message>
        <location filename="../../app/step_bar.cpp" line="233"/>
        <source>Previous step (%1)</source>
        <translation>上一步（%1）</translation>
    </message>
    <message>
        <location filename="../../app/step_bar.cpp" line="234"/>
        <source>Next Step</source>
        <translation>下一步</translation>
    </message>
    <message>
        <location filename="../../app/step_bar.cpp" line="235"/>
        <source>Next step (%1)</source>
        <translation>下一步（%1）</translation>
    </message>
    <message>
        <location filename="../../app/step_bar.cpp" line="236"/>
        <source>Last Step</source>
        <translation>最后一步</translation>
    </message>
    <message>
        <location filename="../../app/step_bar.cpp" line="237"/>
        <source>Last step (%1)</source>
        <translation>最后一步（%1）</translation>
    </message>
    <message>
        <location filename="../../app/step_bar.cpp" line="238"/>
        <source>Drag to move through the steps</source>
        <translation>拖动以浏览各个步骤</translation>
    </message>
    <message>
        <location filename="../../app/step_bar.cpp" line="239"/>
        <source>Speed</source>
        <translation>速度</translation>
    </message>
    <message>
        <location filename="../../app/step_bar.cpp" line="240"/>
        <source>Playback speed</source>
        <translation>播放速度</translation>
    </message>
    <message>
        <location filename="../../app/step_bar.cpp" line="243"/>
        <source>%1×</source>
        <translation>%1×</translation>
    </message>
</context>
</TS>
