# Model compression (quantization, QAT, pruning) and memory formats. Included from tests/CMakeLists.txt.
aisys_test(test_compress_quant unit SOURCES engine/test_compress_quant.cpp LIBS aisys_engine)
aisys_test(test_compress_prune unit SOURCES engine/test_compress_prune.cpp LIBS aisys_engine)
