# Systolic-array model (engine/hw/systolic) and its CLI.
aisys_test(test_systolic_array unit SOURCES engine/test_systolic_array.cpp LIBS aisys_engine)
aisys_test(test_systolic_report unit SOURCES engine/test_systolic_report.cpp LIBS aisys_engine)
